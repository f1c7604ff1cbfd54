package io.orderflow.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checker catches what it claims to: a consistent run passes, and each kind of damage a fault could do is
 * reported against the order it concerns.
 */
class InvariantsTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final String PRODUCT = "KB-001";

    private final World world = new World();
    private final String confirmed = world.confirmed("alice", "89.90");
    private final String cancelled = world.cancelledAfterPayment("bob", "89.90");
    private final String rejected = world.rejected("carol");

    @Test
    void aConsistentRunHoldsEveryInvariant() {
        Invariants.Verdict verdict = Invariants.check(world.truth());

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.checked()).containsEntry(Invariants.ONE_FINAL_STATE, 3);
    }

    @Test
    void aDuplicatedChargeIsReported() {
        world.charges.add(new Truth.Charge("ch_again", confirmed, new BigDecimal("89.90"), "EUR", "authorized"));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.CHARGED_ONCE)
                        && violation.subject().equals(confirmed))
                .anyMatch(violation -> violation.invariant().equals(Invariants.CHARGE_HAS_PAYMENT));
    }

    @Test
    void aLostReleaseIsReported() {
        world.reservations.put(cancelled, new Truth.Reservation("RESERVED", Map.of(PRODUCT, 1)));
        world.available -= 1;
        world.reserved += 1;

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.NO_RESERVATION_AFTER_END)
                        && violation.subject().equals(cancelled));
    }

    @Test
    void aWrongQuantityReservedIsReported() {
        world.reservations.put(confirmed, new Truth.Reservation("RESERVED", Map.of(PRODUCT, 2)));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.NO_RESERVATION_AFTER_END)
                        && violation.subject().equals(confirmed));
    }

    @Test
    void anOrderParkedWithItsCompensationFailedIsReported() {
        List<Truth.StoredEvent> events =
                new ArrayList<>(world.orders.get(rejected).events());
        events.set(2, new Truth.StoredEvent(3, "CompensationFailed", T0));
        world.orders.put(rejected, world.orders.get(rejected).withEvents(events));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.NONE_PARKED)
                        && violation.subject().equals(rejected));
    }

    @Test
    void anEventCorrelatedToAnotherSagaIsReported() {
        List<Truth.TopicEvent> events = world.topics.get(confirmed);
        Truth.TopicEvent first = events.get(0);
        events.set(
                0,
                new Truth.TopicEvent(
                        first.topic(),
                        first.partition(),
                        first.offset(),
                        first.type(),
                        first.eventId(),
                        cancelled,
                        first.causationId(),
                        first.aggregateVersion()));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.CORRELATED)
                        && violation.subject().equals(confirmed));
    }

    @Test
    void anOrderHeldUpOnlyByFaultsLongAfterItsDeadlineIsReported() {
        endLate(rejected, 600);
        for (int second = 0; second < 600; second += 20) {
            world.faults.add(new Truth.FaultWindow(T0.plusSeconds(second), T0.plusSeconds(second + 25)));
        }

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.SETTLED_IN_TIME)
                        && violation.subject().equals(rejected));
    }

    @Test
    void stockThatVanishedIsReported() {
        world.available -= 2;

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.STOCK_CONSERVED)
                        && violation.subject().equals(PRODUCT));
    }

    @Test
    void aSkippedEventIsReported() {
        world.topics.get(confirmed).removeIf(event -> event.type().equals("OrderConfirmed"));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.HISTORY_PUBLISHED)
                        && violation.subject().equals(confirmed));
    }

    @Test
    void aGapInTheHistoryIsReported() {
        List<Truth.StoredEvent> events =
                new ArrayList<>(world.orders.get(rejected).events());
        events.set(1, new Truth.StoredEvent(3, "StockRejected", T0));
        events.set(2, new Truth.StoredEvent(4, "Rejected", T0));
        world.orders.put(rejected, world.orders.get(rejected).withEvents(events));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.HISTORY_CONTIGUOUS)
                        && violation.subject().equals(rejected));
    }

    @Test
    void anEffectPublishedTwiceUnderTwoEventIdsIsReported() {
        world.topics.get(cancelled).add(world.event("payments.events", "PaymentRefunded", cancelled, -1));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.EFFECTS_ONCE)
                        && violation.subject().equals(cancelled));
    }

    @Test
    void aWrongViewIsReported() {
        world.views.put(confirmed, new Truth.ViewRow("PAID", 1, new BigDecimal("89.90"), "AUTHORIZED"));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.VIEW_ORDERS)
                        && violation.subject().equals(confirmed));
    }

    @Test
    void aCancelledOrderThatKeptItsChargeIsReported() {
        world.refunds.clear();

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.REFUNDED)
                        && violation.subject().equals(cancelled));
    }

    @Test
    void anOrderInFlightOrEndedTwiceIsReported() {
        String inFlight = world.inFlight("dave");
        List<Truth.StoredEvent> twice =
                new ArrayList<>(world.orders.get(rejected).events());
        twice.add(new Truth.StoredEvent(4, "Cancelled", T0));
        world.orders.put(rejected, world.orders.get(rejected).withEvents(twice));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.ONE_FINAL_STATE)
                        && violation.subject().equals(inFlight))
                .anyMatch(violation -> violation.invariant().equals(Invariants.ONE_FINAL_STATE)
                        && violation.subject().equals(rejected));
    }

    @Test
    void anOrderThatEndedLongAfterItsDeadlineWithNoFaultToHoldItUpIsReported() {
        endLate(rejected, 200);

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.SETTLED_IN_TIME)
                        && violation.subject().equals(rejected));
    }

    @Test
    void anOrderHeldUpByAFaultHasTwoMinutesAfterItToEnd() {
        endLate(rejected, 200);
        world.faults.add(new Truth.FaultWindow(T0.plusSeconds(10), T0.plusSeconds(150)));

        assertThat(violationsOf(world.truth())).isEmpty();

        world.faults.clear();
        world.faults.add(new Truth.FaultWindow(T0.plusSeconds(10), T0.plusSeconds(60)));
        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.SETTLED_IN_TIME));
    }

    /** The order ends {@code seconds} after it was placed (its payment deadline is 30 s after). */
    private void endLate(String orderId, long seconds) {
        List<Truth.StoredEvent> events =
                new ArrayList<>(world.orders.get(orderId).events());
        Truth.StoredEvent last = events.remove(events.size() - 1);
        events.add(new Truth.StoredEvent(last.version(), last.type(), T0.plusSeconds(seconds)));
        world.orders.put(orderId, world.orders.get(orderId).withEvents(events));
    }

    @Test
    void leftoversAreReported() {
        world.outbox.put("payments", 2L);
        world.deadLetters.add(new Truth.DeadLetter("inventory.events.dlq", confirmed, "StockReserved", "boom"));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.OUTBOX_EMPTY))
                .anyMatch(violation -> violation.invariant().equals(Invariants.NO_DEAD_LETTERS));
    }

    @Test
    void aLiveShipmentOfACancelledOrderIsReported() {
        world.shipments.put(cancelled, new Truth.ShipmentRow(true));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.SHIPMENTS)
                        && violation.subject().equals(cancelled));
    }

    @Test
    void revenueThatDiffersFromTheProvidersBooksIsReported() {
        world.revenue.put("EUR", new BigDecimal("0.00"));

        assertThat(violationsOf(world.truth()))
                .anyMatch(violation -> violation.invariant().equals(Invariants.VIEW_REVENUE));
    }

    private static List<Violation> violationsOf(Truth truth) {
        return Invariants.check(truth).violations();
    }

    /** A small, consistent world the tests then damage. */
    private static final class World {
        final Map<String, Truth.Order> orders = new HashMap<>();
        final Map<String, Truth.Reservation> reservations = new HashMap<>();
        final Map<String, Truth.PaymentRow> payments = new HashMap<>();
        final Map<String, Truth.ShipmentRow> shipments = new HashMap<>();
        final List<Truth.Charge> charges = new ArrayList<>();
        final List<Truth.Refund> refunds = new ArrayList<>();
        final Map<String, List<Truth.TopicEvent>> topics = new HashMap<>();
        final Map<String, Long> outbox = new HashMap<>(Map.of("orders", 0L, "payments", 0L));
        final List<Truth.DeadLetter> deadLetters = new ArrayList<>();
        final Map<String, Truth.ViewRow> views = new HashMap<>();
        final Map<String, Truth.CustomerRow> customers = new HashMap<>();
        final Map<String, BigDecimal> revenue = new HashMap<>();
        final List<Truth.FaultWindow> faults = new ArrayList<>();
        int available = 100;
        int reserved = 0;
        private long offset;

        String confirmed(String customer, String amount) {
            String id = order(
                    customer,
                    amount,
                    List.of("Placed", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "Confirmed"));
            reservations.put(id, new Truth.Reservation("RESERVED", Map.of(PRODUCT, 1)));
            available -= 1;
            reserved += 1;
            String charge = "ch_" + id;
            charges.add(new Truth.Charge(charge, id, new BigDecimal(amount), "EUR", "authorized"));
            payments.put(id, new Truth.PaymentRow("AUTHORIZED", charge, new BigDecimal(amount), "EUR"));
            shipments.put(id, new Truth.ShipmentRow(true));
            revenue.merge("EUR", new BigDecimal(amount), BigDecimal::add);
            customers.put(customer, new Truth.CustomerRow(1, Map.of("EUR", new BigDecimal(amount))));
            publish(
                    id,
                    List.of(
                            "inventory.events:StockReserved",
                            "payments.events:PaymentAuthorized",
                            "shipments.events:ShipmentScheduled"));
            view(id, "CONFIRMED", amount);
            return id;
        }

        String cancelledAfterPayment(String customer, String amount) {
            String id = order(
                    customer,
                    amount,
                    List.of(
                            "Placed",
                            "StockReserved",
                            "PaymentAuthorized",
                            "CancellationRequested",
                            "StockReleased",
                            "PaymentRefunded",
                            "Cancelled"));
            reservations.put(id, new Truth.Reservation("RELEASED", Map.of(PRODUCT, 1)));
            String charge = "ch_" + id;
            charges.add(new Truth.Charge(charge, id, new BigDecimal(amount), "EUR", "authorized"));
            refunds.add(new Truth.Refund("re_" + id, charge, new BigDecimal(amount)));
            payments.put(id, new Truth.PaymentRow("AUTHORIZED", charge, new BigDecimal(amount), "EUR"));
            customers.put(customer, new Truth.CustomerRow(1, Map.of()));
            publish(
                    id,
                    List.of(
                            "inventory.events:StockReserved",
                            "payments.events:PaymentAuthorized",
                            "inventory.events:StockReleased",
                            "payments.events:PaymentRefunded"));
            view(id, "CANCELLED", amount);
            return id;
        }

        String rejected(String customer) {
            String id = order(customer, "10.00", List.of("Placed", "StockRejected", "Rejected"));
            reservations.put(id, new Truth.Reservation("REJECTED", Map.of()));
            customers.put(customer, new Truth.CustomerRow(1, Map.of()));
            publish(id, List.of("inventory.events:StockRejected"));
            view(id, "REJECTED", "10.00");
            return id;
        }

        String inFlight(String customer) {
            String id = order(customer, "10.00", List.of("Placed"));
            customers.put(customer, new Truth.CustomerRow(1, Map.of()));
            views.put(id, new Truth.ViewRow("PLACED", 1, new BigDecimal("10.00"), null));
            return id;
        }

        private String order(String customer, String amount, List<String> types) {
            String id = UUID.randomUUID().toString();
            List<Truth.StoredEvent> events = new ArrayList<>();
            List<Truth.TopicEvent> published = new ArrayList<>();
            for (int version = 1; version <= types.size(); version++) {
                String type = types.get(version - 1);
                events.add(new Truth.StoredEvent(version, type, T0.plusMillis(version)));
                if (Truth.OWN_EVENTS.contains(type)) {
                    published.add(event("orders.events", "Order" + type, id, version));
                }
            }
            orders.put(
                    id,
                    new Truth.Order(
                            id,
                            customer,
                            "EUR",
                            new BigDecimal(amount),
                            Map.of(PRODUCT, 1),
                            T0,
                            T0.plusSeconds(30),
                            events));
            topics.put(id, published);
            return id;
        }

        private void publish(String id, List<String> topicAndTypes) {
            for (String topicAndType : topicAndTypes) {
                String[] parts = topicAndType.split(":");
                topics.get(id).add(event(parts[0], parts[1], id, -1));
            }
        }

        Truth.TopicEvent event(String topic, String type, String orderId, long version) {
            return new Truth.TopicEvent(
                    topic, 0, offset++, type, UUID.randomUUID().toString(), orderId, null, version);
        }

        private void view(String id, String status, String amount) {
            views.put(id, new Truth.ViewRow(status, orders.get(id).publishedVersion(), new BigDecimal(amount), null));
        }

        Truth truth() {
            return new Truth(
                    Map.of(PRODUCT, 100),
                    Map.of(PRODUCT, new Truth.StockRow(available, reserved)),
                    orders,
                    reservations,
                    payments,
                    Map.of(),
                    shipments,
                    charges,
                    refunds,
                    topics,
                    outbox,
                    deadLetters,
                    views,
                    customers,
                    revenue,
                    Set.copyOf(orders.keySet()),
                    faults);
        }
    }
}
