package io.orderflow.chaos;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every place that holds a part of the truth says once a run is over: the order's event store, inventory's
 * stock and reservations, payment's and shipping's tables, the provider's books, the topics, the outboxes, the dead
 * letters and the read side. The invariants are checked on this alone, so that a test can hand them a made-up one.
 *
 * @param initialStock     units of each product before the run (available + reserved)
 * @param orders           order id → the order as its event store holds it
 * @param topicEvents      order id (the record key) → every event of it on the four topics, in offset order
 * @param outboxRows       service schema → rows left in its outbox (and parked beside it)
 * @param views            order id → the read side's view of it; absent when the read side does not have it
 * @param customerViews    customer id → the read side's figures
 * @param viewRevenue      currency → the read side's revenue over the run
 * @param acceptedByClient order ids the clients were given by a 201 or 200
 * @param faultWindows     when each fault of the run was in effect, from its start until what it broke was back
 */
public record Truth(
        Map<String, Integer> initialStock,
        Map<String, StockRow> stock,
        Map<String, Order> orders,
        Map<String, Reservation> reservations,
        Map<String, PaymentRow> payments,
        Map<String, RefundRow> refunds,
        Map<String, ShipmentRow> shipments,
        List<Charge> charges,
        List<Refund> providerRefunds,
        Map<String, List<TopicEvent>> topicEvents,
        Map<String, Long> outboxRows,
        List<DeadLetter> deadLetters,
        Map<String, ViewRow> views,
        Map<String, CustomerRow> customerViews,
        Map<String, BigDecimal> viewRevenue,
        Set<String> acceptedByClient,
        List<FaultWindow> faultWindows) {

    public record FaultWindow(Instant from, Instant to) {}

    /** The statuses an order can end in, by the event that ends it in the event store. */
    static final Map<String, String> FINAL_EVENTS = Map.of(
            "Confirmed", "CONFIRMED",
            "Rejected", "REJECTED",
            "Cancelled", "CANCELLED",
            "CompensationFailed", "COMPENSATION_FAILED");

    /** The order's own decisions: each is published on orders.events as {@code Order<type>} with its version. */
    static final Set<String> OWN_EVENTS =
            Set.of("Placed", "CancellationRequested", "Confirmed", "Rejected", "Cancelled", "CompensationFailed");

    /**
     * @param catalogueTotal what the lines cost at the catalogue's prices in the order's currency; null if a line has
     *                       no price
     * @param paymentDue     when an unpaid order is cancelled
     */
    public record Order(
            String id,
            String customerId,
            String currency,
            BigDecimal catalogueTotal,
            Map<String, Integer> lines,
            Instant placedAt,
            Instant paymentDue,
            List<StoredEvent> events) {

        public Order withEvents(List<StoredEvent> history) {
            return new Order(id, customerId, currency, catalogueTotal, lines, placedAt, paymentDue, history);
        }

        public List<StoredEvent> finalEvents() {
            return events.stream()
                    .filter(event -> FINAL_EVENTS.containsKey(event.type()))
                    .toList();
        }

        /** The status its final event gives it; empty while it is in flight. */
        public Optional<String> finalStatus() {
            List<StoredEvent> finals = finalEvents();
            return finals.isEmpty()
                    ? Optional.empty()
                    : Optional.of(FINAL_EVENTS.get(finals.get(0).type()));
        }

        /** The version of its newest own decision: what the read side's version says it has seen. */
        public long publishedVersion() {
            return events.stream()
                    .filter(event -> OWN_EVENTS.contains(event.type()))
                    .mapToLong(StoredEvent::version)
                    .max()
                    .orElse(0);
        }
    }

    public record StoredEvent(long version, String type, Instant occurredAt) {}

    public record StockRow(int available, int reserved) {}

    /** @param status RESERVED, REJECTED or RELEASED */
    public record Reservation(String status, Map<String, Integer> lines) {}

    /** @param status AUTHORIZED, DECLINED or VOIDED */
    public record PaymentRow(String status, String chargeId, BigDecimal amount, String currency) {}

    public record RefundRow(String status, String chargeId, BigDecimal amount) {}

    public record ShipmentRow(boolean live) {}

    /** @param reference the order id the charge was made for; @param status authorized or declined */
    public record Charge(String id, String reference, BigDecimal amount, String currency, String status) {}

    public record Refund(String id, String chargeId, BigDecimal amount) {}

    /** @param aggregateVersion the {@code aggregate-version} header, -1 without one */
    public record TopicEvent(
            String topic,
            int partition,
            long offset,
            String type,
            String eventId,
            String correlationId,
            String causationId,
            long aggregateVersion) {

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset + " " + type + " " + eventId
                    + (aggregateVersion >= 0 ? " v" + aggregateVersion : "");
        }
    }

    public record DeadLetter(String topic, String key, String eventType, String reason) {}

    /** @param paymentStatus null when the view knows of no payment */
    public record ViewRow(String status, long version, BigDecimal totalAmount, String paymentStatus) {}

    public record CustomerRow(long orderCount, Map<String, BigDecimal> lifetimeValue) {}
}
