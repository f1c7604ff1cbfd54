package io.orderflow.order.application;

import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.Pricing;

/** The outcome of placing an order. */
public sealed interface Placement {

    /** A new order. */
    record Created(Order order) implements Placement {}

    /** The idempotency key was seen before with the same request: the order it created then. */
    record Replayed(Order order) implements Placement {}

    /** The catalogue cannot price the order as asked (unknown product, not sold, stale price): nothing was placed. */
    record Unpriced(Pricing.Refusal refusal) implements Placement {}

    /** The idempotency key was seen before with a different request: nothing was placed. */
    record KeyReused(String idempotencyKey) implements Placement {}
}
