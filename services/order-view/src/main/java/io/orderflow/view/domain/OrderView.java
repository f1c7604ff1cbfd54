package io.orderflow.view.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about one order, from every context's events. Facts may arrive in any order (they come from
 * four topics) and more than once (publishing is at least once): a fact seen before changes nothing, and the status
 * is derived from the set of facts, not from the last one to arrive.
 *
 * @param version the version of the newest order-service event seen: a client that wrote version n reads its write
 *                once this is at least n
 * @param stock   RESERVED, REJECTED or RELEASED; null before inventory answered
 */
public record OrderView(
        String orderId,
        long version,
        String customerId,
        String currency,
        List<Item> items,
        BigDecimal totalAmount,
        OrderStatus status,
        String statusReason,
        String stock,
        Payment payment,
        Shipment shipment,
        Instant placedAt,
        Instant updatedAt,
        List<TimelineEntry> timeline) {

    private static final Comparator<TimelineEntry> TIMELINE_ORDER = Comparator.comparing(TimelineEntry::at);

    public OrderView {
        Objects.requireNonNull(orderId, "orderId");
        items = items == null ? List.of() : List.copyOf(items);
        timeline = List.copyOf(timeline);
    }

    /** An order nothing is known of yet. */
    public static OrderView empty(String orderId) {
        return new OrderView(
                orderId,
                0,
                null,
                null,
                List.of(),
                null,
                OrderStatus.PLACED,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of());
    }

    /** The summary a customer's history shows; empty until the placement is known. */
    public Optional<OrderSummary> summary() {
        if (customerId == null) {
            return Optional.empty();
        }
        return Optional.of(new OrderSummary(orderId, status, currency, totalAmount, placedAt));
    }

    public boolean hasSeen(String eventId) {
        return timeline.stream().anyMatch(entry -> entry.eventId().equals(eventId));
    }

    /**
     * Applies a fact.
     *
     * @return the new view and what changed elsewhere because of it; empty when the fact was seen before
     */
    public Optional<Applied> apply(FactMeta meta, OrderFact fact) {
        if (hasSeen(meta.eventId())) {
            return Optional.empty();
        }
        Builder next = new Builder(this);
        next.version = Math.max(version, meta.orderVersion());
        next.updatedAt = updatedAt == null || meta.at().isAfter(updatedAt) ? meta.at() : updatedAt;
        List<TimelineEntry> entries = new ArrayList<>(timeline);
        entries.add(new TimelineEntry(meta.eventId(), meta.type(), meta.service(), meta.at(), meta.publishedAt()));
        entries.sort(TIMELINE_ORDER);
        next.timeline = entries;
        List<RevenueChange> revenue = new ArrayList<>();
        List<UnitsOrdered> units = new ArrayList<>();
        if (fact instanceof OrderFact.Placed placed) {
            next.customerId = placed.customerId();
            next.currency = placed.currency();
            next.items = placed.items();
            next.totalAmount = placed.totalAmount();
            next.placedAt = meta.at();
            placed.items().forEach(item -> units.add(new UnitsOrdered(item.productId(), item.quantity(), meta.at())));
        } else if (fact instanceof OrderFact.StockReserved) {
            next.stock = "RESERVED";
        } else if (fact instanceof OrderFact.StockRejected) {
            next.stock = "REJECTED";
        } else if (fact instanceof OrderFact.StockReleased) {
            next.stock = "RELEASED";
        } else if (fact instanceof OrderFact.PaymentAuthorized authorized) {
            if (payment != null && payment.refundId() != null && payment.chargeId() == null) {
                // Its refund came first (an authorization replayed from the dead letters, say): the money was taken
                // and given back, so nothing is counted, and the payment stays as the refund left it.
                next.payment = new Payment(
                        payment.status(),
                        payment.amount(),
                        payment.currency(),
                        authorized.chargeId(),
                        payment.refundId(),
                        payment.reason());
            } else {
                next.payment = new Payment(
                        Payment.Status.AUTHORIZED,
                        authorized.amount(),
                        authorized.currency(),
                        authorized.chargeId(),
                        null,
                        null);
                revenue.add(new RevenueChange(authorized.currency(), authorized.amount(), meta.at()));
            }
        } else if (fact instanceof OrderFact.PaymentDeclined declined) {
            next.payment = new Payment(Payment.Status.DECLINED, null, null, null, null, declined.reason());
        } else if (fact instanceof OrderFact.PaymentVoided voided) {
            next.payment = new Payment(Payment.Status.VOIDED, null, null, null, null, voided.reason());
        } else if (fact instanceof OrderFact.PaymentRefunded refunded) {
            next.payment = new Payment(
                    Payment.Status.REFUNDED,
                    refunded.amount(),
                    refunded.currency(),
                    payment == null ? null : payment.chargeId(),
                    refunded.refundId(),
                    null);
            // Only money revenue counted comes off it: a charge found and refunded after its payment was voided
            // (the provider's answer was lost in a crash or a timeout) was never authorized, so never counted. An
            // authorization that comes after its refund is handled above.
            if (payment != null
                    && payment.amount() != null
                    && (payment.status() == Payment.Status.AUTHORIZED
                            || payment.status() == Payment.Status.REFUND_FAILED)) {
                revenue.add(
                        new RevenueChange(refunded.currency(), refunded.amount().negate(), meta.at()));
            }
        } else if (fact instanceof OrderFact.PaymentRefundFailed failed) {
            next.payment = payment == null
                    ? new Payment(Payment.Status.REFUND_FAILED, null, null, null, null, failed.reason())
                    : payment.with(Payment.Status.REFUND_FAILED, failed.reason());
        } else if (fact instanceof OrderFact.ShipmentScheduled scheduled) {
            next.shipment =
                    new Shipment(Shipment.Status.SCHEDULED, scheduled.carrier(), scheduled.trackingNumber(), null);
        } else if (fact instanceof OrderFact.ShipmentCancelled cancelled) {
            next.shipment = new Shipment(
                    Shipment.Status.CANCELLED,
                    shipment == null ? null : shipment.carrier(),
                    shipment == null ? null : shipment.trackingNumber(),
                    cancelled.reason());
        }
        StatusAndReason derived = derive(fact, meta);
        OrderView view = new OrderView(
                orderId,
                next.version,
                next.customerId,
                next.currency,
                next.items,
                next.totalAmount,
                derived.status(),
                derived.reason(),
                next.stock,
                next.payment,
                next.shipment,
                next.placedAt,
                next.updatedAt,
                next.timeline);
        return Optional.of(new Applied(view, revenue, units));
    }

    /**
     * A final status is only replaced by a newer final one; otherwise the furthest status any fact reached holds,
     * so the result does not depend on the order the facts arrived in.
     */
    private StatusAndReason derive(OrderFact fact, FactMeta meta) {
        StatusAndReason current = new StatusAndReason(status, statusReason);
        StatusAndReason reached = current;
        if (fact instanceof OrderFact.Confirmed) {
            reached = new StatusAndReason(OrderStatus.CONFIRMED, null);
        } else if (fact instanceof OrderFact.Rejected rejected) {
            reached = new StatusAndReason(OrderStatus.REJECTED, rejected.reason());
        } else if (fact instanceof OrderFact.Cancelled cancelled) {
            reached = new StatusAndReason(OrderStatus.CANCELLED, cancelled.reason());
        } else if (fact instanceof OrderFact.CompensationFailed failed) {
            reached = new StatusAndReason(OrderStatus.COMPENSATION_FAILED, failed.reason());
        } else if (fact instanceof OrderFact.CancellationRequested requested) {
            reached = new StatusAndReason(OrderStatus.CANCELLING, requested.reason());
        } else if (fact instanceof OrderFact.PaymentAuthorized) {
            reached = new StatusAndReason(OrderStatus.PAID, null);
        } else if (fact instanceof OrderFact.StockReserved) {
            reached = new StatusAndReason(OrderStatus.RESERVED, null);
        }
        if (reached.status().isFinal()) {
            return !status.isFinal() || meta.orderVersion() >= version ? reached : current;
        }
        if (status.isFinal() || rank(reached.status()) <= rank(status)) {
            return current;
        }
        return reached;
    }

    private static int rank(OrderStatus status) {
        switch (status) {
            case PLACED:
                return 0;
            case RESERVED:
                return 1;
            case PAID:
                return 2;
            case CANCELLING:
                return 3;
            default:
                return 4;
        }
    }

    private record StatusAndReason(OrderStatus status, String reason) {}

    /** What applying one fact did. */
    public record Applied(OrderView view, List<RevenueChange> revenue, List<UnitsOrdered> unitsOrdered) {}

    /** The fields a fact may change, copied from the view it applies to. */
    private static final class Builder {
        long version;
        String customerId;
        String currency;
        List<Item> items;
        BigDecimal totalAmount;
        String stock;
        Payment payment;
        Shipment shipment;
        Instant placedAt;
        Instant updatedAt;
        List<TimelineEntry> timeline;

        Builder(OrderView from) {
            customerId = from.customerId;
            currency = from.currency;
            items = from.items;
            totalAmount = from.totalAmount;
            stock = from.stock;
            payment = from.payment;
            shipment = from.shipment;
            placedAt = from.placedAt;
        }
    }
}
