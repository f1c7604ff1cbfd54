package io.orderflow.order.domain;

/** Raised when an order is placed. */
public record OrderPlaced(Order order) {
}
