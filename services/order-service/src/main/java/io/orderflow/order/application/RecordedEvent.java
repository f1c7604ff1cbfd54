package io.orderflow.order.application;

import io.orderflow.order.domain.OrderEvent;

/** An event of an order as the store keeps it: its place in the order's history, and the event. */
public record RecordedEvent(int version, OrderEvent event) {}
