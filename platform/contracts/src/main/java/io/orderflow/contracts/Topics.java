package io.orderflow.contracts;

import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderCancelled;
import io.orderflow.contracts.orders.OrderCompensationFailed;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.orders.OrderRejected;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.eventing.topic.Topic;
import java.util.List;

/**
 * The topic catalogue: every topic, the one context that writes it, and the event types it carries. The key is the
 * aggregate id: the order id for every event of the saga, the product id for {@link ProductListed}, so each
 * aggregate's events stay in order on one partition.
 */
public final class Topics {

    /** Written by order-service only. */
    public static final Topic ORDERS = Topic.of(
            "orders.events",
            OrderPlaced.class,
            OrderCancellationRequested.class,
            OrderConfirmed.class,
            OrderRejected.class,
            OrderCancelled.class,
            OrderCompensationFailed.class);

    /** Written by inventory-service only. */
    public static final Topic INVENTORY = Topic.of(
            "inventory.events", StockReserved.class, StockRejected.class, ProductListed.class, StockReleased.class);

    /** Written by payment-service only. */
    public static final Topic PAYMENTS = Topic.of(
            "payments.events",
            PaymentAuthorized.class,
            PaymentDeclined.class,
            PaymentVoided.class,
            PaymentRefunded.class,
            PaymentRefundFailed.class);

    /** Written by shipping-service only. */
    public static final Topic SHIPMENTS =
            Topic.of("shipments.events", ShipmentScheduled.class, ShipmentCancelled.class);

    /** Every topic of the catalogue: what {@code orderflow schemas register} registers. */
    public static final List<Topic> ALL = List.of(ORDERS, INVENTORY, PAYMENTS, SHIPMENTS);

    private Topics() {}
}
