package io.orderflow.order.domain;

/** The answer to a request to cancel an order: a refusal is a value, not an exception. */
public sealed interface Cancellation {

    /** The order is now cancelling; the other services are asked to compensate. */
    record Started() implements Cancellation {}

    /** The order was already being cancelled, or is cancelled: nothing more to do. */
    record AlreadyUnderway(OrderStatus status) implements Cancellation {}

    /** The order can no longer be cancelled. */
    record Refused(String reason) implements Cancellation {}
}
