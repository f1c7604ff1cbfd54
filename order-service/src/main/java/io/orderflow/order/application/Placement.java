package io.orderflow.order.application;

import io.orderflow.order.domain.Order;

/** The outcome of placing an order. */
public sealed interface Placement {

    /** A new order. */
    record Created(Order order) implements Placement {
    }

    /** The idempotency key was seen before with the same request: the order it created then. */
    record Replayed(Order order) implements Placement {
    }

    /** Some products are not in the catalogue: nothing was placed. */
    record UnknownProducts(java.util.List<String> productIds) implements Placement {
    }

    /** The idempotency key was seen before with a different request: nothing was placed. */
    record KeyReused(String idempotencyKey) implements Placement {
    }
}
