package io.orderflow.order.application;

import io.orderflow.order.domain.OrderPlaced;

/** Where the order's events go: the outbox, inside the transaction that changed the order. */
public interface OrderEvents {
    void placed(OrderPlaced placed);
}
