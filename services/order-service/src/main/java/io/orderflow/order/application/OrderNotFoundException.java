package io.orderflow.order.application;

import java.util.UUID;

/** No order has this id. */
public class OrderNotFoundException extends RuntimeException {
    public OrderNotFoundException(UUID id) {
        super("no order with id " + id);
    }
}
