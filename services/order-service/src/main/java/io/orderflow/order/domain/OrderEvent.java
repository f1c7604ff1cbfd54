package io.orderflow.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What happened to an order: the event store keeps these, and they are the order. Facts the other services reported
 * are recorded as well as the order's own decisions, so that replaying them gives the same order, and its history
 * reads as what happened.
 */
public sealed interface OrderEvent {

    /** When it happened. */
    Instant at();

    /** The customer placed the order; it must be paid before {@code paymentDue}. */
    record Placed(String customerId, String currency, List<OrderLine> lines, Instant paymentDue, Instant at)
            implements OrderEvent {
        public Placed {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(currency, "currency");
            lines = List.copyOf(lines);
            Objects.requireNonNull(paymentDue, "paymentDue");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Inventory reserved every item. */
    record StockReserved(Instant at) implements OrderEvent {}

    /** Inventory could not reserve the order. */
    record StockRejected(String reason, Instant at) implements OrderEvent {}

    /** The provider authorized the payment. */
    record PaymentAuthorized(String chargeId, Instant at) implements OrderEvent {}

    /** The provider declined the payment. */
    record PaymentDeclined(String reason, Instant at) implements OrderEvent {}

    /** Shipping booked a carrier. */
    record ShipmentScheduled(String carrier, String trackingNumber, Instant at) implements OrderEvent {}

    /** Shipping called a shipment off because its payment was refunded. */
    record ShipmentCancelled(String trackingNumber, Instant at) implements OrderEvent {}

    /** Inventory gave the order's stock back. */
    record StockReleased(Instant at) implements OrderEvent {}

    /** Payment gave the money back. */
    record PaymentRefunded(String refundId, Instant at) implements OrderEvent {}

    /** Payment promised never to charge this order (it had not been charged). */
    record PaymentVoided(Instant at) implements OrderEvent {}

    /** The order decided to cancel: the other services compensate what they did. */
    record CancellationRequested(CancellationReason reason, Instant at) implements OrderEvent {}

    /** Reserved, paid and shipped. */
    record Confirmed(Instant at) implements OrderEvent {}

    /** Not reservable: the saga ends here. */
    record Rejected(String reason, Instant at) implements OrderEvent {}

    /** Every compensation is done. */
    record Cancelled(String reason, Instant at) implements OrderEvent {}

    /** A compensation failed for good. */
    record CompensationFailed(String reason, Instant at) implements OrderEvent {}
}
