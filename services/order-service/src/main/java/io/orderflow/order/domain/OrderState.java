package io.orderflow.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything an order knows after {@code version} events: what a snapshot stores, so that loading an order with a long
 * history replays only the events after it.
 *
 * @param statusReason   why the order is rejected, cancelling, cancelled or parked; null otherwise
 * @param stockSettled   its stock was given back, or never held (rejected)
 * @param paymentSettled its payment was refunded, voided or declined
 */
public record OrderState(
        UUID id,
        int version,
        String customerId,
        String currency,
        List<OrderLine> lines,
        Instant placedAt,
        Instant paymentDue,
        OrderStatus status,
        boolean stockReserved,
        String chargeId,
        String trackingNumber,
        boolean shipmentCancelled,
        boolean stockSettled,
        boolean paymentSettled,
        CancellationReason cancellationReason,
        String statusReason,
        Instant updatedAt) {

    public OrderState {
        lines = List.copyOf(lines);
    }
}
