package io.orderflow.order.domain;

/** Where an order stands in its saga. */
public enum OrderStatus {
    /** Placed; waiting for inventory. */
    PLACED,
    /** All items reserved. */
    RESERVED,
    /** Inventory could not reserve every item; nothing was reserved. Final. */
    REJECTED
}
