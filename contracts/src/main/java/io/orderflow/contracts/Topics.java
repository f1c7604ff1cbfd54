package io.orderflow.contracts;

import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.eventing.topic.Topic;

/**
 * The topic catalogue: every topic, the one context that writes it, and the event types it carries. Keys are
 * order ids throughout, so all events of an order stay in order on one partition of each topic.
 */
public final class Topics {

    /** Written by order-service only. */
    public static final Topic ORDERS = Topic.of("orders.events", OrderPlaced.class);

    /** Written by inventory-service only. */
    public static final Topic INVENTORY = Topic.of("inventory.events", StockReserved.class, StockRejected.class);

    private Topics() {
    }
}
