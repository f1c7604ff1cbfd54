package io.orderflow.chaos;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The promises of the system, checked on what every part of it holds after a run: each order ends once, every effect
 * happens once, stock and money add up, every history is whole, nothing is left behind, and the read side says what
 * the write side says.
 */
public final class Invariants {

    public static final String ONE_FINAL_STATE = "exactly one final state per order";
    public static final String SETTLED_IN_TIME =
            "ended within 2 min of its payment deadline, or of the faults that held it up";
    public static final String NONE_PARKED = "no order parked with its compensation failed (faults are transient)";
    public static final String ACCEPTED_KEPT = "every order a client was given exists";
    public static final String STOCK_CONSERVED = "stock conserved: initial = available + reserved";
    public static final String RESERVED_MATCHES = "reserved stock = lines of live reservations";
    public static final String NO_RESERVATION_AFTER_END =
            "a confirmed order's lines reserved, none for a cancelled or rejected one";
    public static final String CHARGED_ONCE = "one charge per paid order, at the catalogue price";
    public static final String REFUNDED = "every charge of a cancelled or rejected order refunded";
    public static final String CHARGE_HAS_PAYMENT = "no charge without a payment row (or its refund)";
    public static final String SHIPMENTS = "one live shipment per confirmed order, none for any other";
    public static final String EFFECTS_ONCE = "every effect published once (one event id per effect and order)";
    public static final String HISTORY_CONTIGUOUS = "event history versions 1..n without gaps";
    public static final String HISTORY_PUBLISHED = "every decision of the order published with its version";
    public static final String CORRELATED = "correlation and causation ids consistent";
    public static final String OUTBOX_EMPTY = "every outbox empty";
    public static final String NO_DEAD_LETTERS = "no dead letters (no poison was injected)";
    public static final String VIEW_ORDERS = "read side = write side, per order";
    public static final String VIEW_CUSTOMERS = "read side = write side, per customer";
    public static final String VIEW_REVENUE = "read side revenue = the provider's net takings";

    /**
     * How long after its payment deadline an order may take to end, or after the last fault in effect while it was in
     * flight was over: the time to recover.
     */
    public static final Duration RECOVERY_ALLOWANCE = Duration.ofMinutes(2);

    /** Effects that happen at most once per order: each event type, or group of exclusive types, and its topic. */
    private static final Map<String, List<String>> ONCE = new LinkedHashMap<>();

    static {
        ONCE.put("stock decided", List.of("StockReserved", "StockRejected"));
        ONCE.put("stock released", List.of("StockReleased"));
        ONCE.put("payment decided", List.of("PaymentAuthorized", "PaymentDeclined"));
        ONCE.put("payment voided", List.of("PaymentVoided"));
        ONCE.put("payment refunded", List.of("PaymentRefunded"));
        ONCE.put("shipment scheduled", List.of("ShipmentScheduled"));
        ONCE.put("shipment cancelled", List.of("ShipmentCancelled"));
        ONCE.put("order placed", List.of("OrderPlaced"));
        ONCE.put("cancellation requested", List.of("OrderCancellationRequested"));
        ONCE.put(
                "order ended", List.of("OrderConfirmed", "OrderRejected", "OrderCancelled", "OrderCompensationFailed"));
    }

    /** The outcome: how many cases each invariant was checked on, and every violation. */
    public record Verdict(Map<String, Integer> checked, List<Violation> violations) {

        public boolean holds() {
            return violations.isEmpty();
        }

        public Map<String, Long> violationsByInvariant() {
            return violations.stream()
                    .collect(Collectors.groupingBy(Violation::invariant, TreeMap::new, Collectors.counting()));
        }
    }

    private final Truth truth;
    private final Map<String, Integer> checked = new LinkedHashMap<>();
    private final List<Violation> violations = new ArrayList<>();

    private Invariants(Truth truth) {
        this.truth = truth;
    }

    public static Verdict check(Truth truth) {
        Invariants invariants = new Invariants(truth);
        invariants.orders();
        invariants.stock();
        invariants.money();
        invariants.shipments();
        invariants.topics();
        invariants.leftovers();
        invariants.readSide();
        return new Verdict(
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(invariants.checked)),
                List.copyOf(invariants.violations));
    }

    private void checked(String invariant, int cases) {
        checked.merge(invariant, cases, Integer::sum);
    }

    private void violation(String invariant, String subject, String detail, List<String> evidence) {
        violations.add(new Violation(invariant, subject, detail, List.copyOf(evidence)));
    }

    /**
     * When the last fault that held an order up was over: one in effect while it was in flight that began before its
     * payment deadline was two minutes past (later faults do not extend its time again, so that a stuck order is not
     * excused by the faults that merely keep coming); its placing if none did.
     */
    private Instant heldUpUntil(Instant placed, Instant lastExcuse, Instant ended) {
        Instant until = placed;
        for (Truth.FaultWindow fault : truth.faultWindows()) {
            if (fault.from().isBefore(ended)
                    && fault.from().isBefore(lastExcuse)
                    && fault.to().isAfter(placed)
                    && fault.to().isAfter(until)) {
                until = fault.to();
            }
        }
        return until;
    }

    private static List<String> history(Truth.Order order) {
        return order.events().stream()
                .map(event -> "v" + event.version() + " " + event.type() + " " + event.occurredAt())
                .toList();
    }

    private void orders() {
        for (Truth.Order order : truth.orders().values()) {
            List<Truth.StoredEvent> finals = order.finalEvents();
            if (finals.size() != 1) {
                violation(
                        ONE_FINAL_STATE,
                        order.id(),
                        finals.isEmpty() ? "still in flight" : finals.size() + " final events",
                        history(order));
            } else if (order.paymentDue() != null) {
                Instant ended = finals.get(0).occurredAt();
                Instant heldUpUntil =
                        heldUpUntil(order.placedAt(), order.paymentDue().plus(RECOVERY_ALLOWANCE), ended);
                Instant due = (heldUpUntil.isAfter(order.paymentDue()) ? heldUpUntil : order.paymentDue())
                        .plus(RECOVERY_ALLOWANCE);
                if (ended.isAfter(due)) {
                    violation(
                            SETTLED_IN_TIME,
                            order.id(),
                            "ended "
                                    + Duration.between(order.paymentDue(), ended)
                                            .toSeconds()
                                    + " s after its payment deadline, "
                                    + Duration.between(heldUpUntil, ended).toSeconds()
                                    + " s after the faults that held it up were over",
                            history(order));
                }
            }
            long expected = 1;
            for (Truth.StoredEvent event : order.events()) {
                if (event.version() != expected) {
                    violation(
                            HISTORY_CONTIGUOUS,
                            order.id(),
                            "version " + event.version() + " where " + expected + " was due",
                            history(order));
                    break;
                }
                expected++;
            }
        }
        checked(ONE_FINAL_STATE, truth.orders().size());
        for (Truth.Order order : truth.orders().values()) {
            if ("COMPENSATION_FAILED".equals(order.finalStatus().orElse(null))) {
                violation(
                        NONE_PARKED,
                        order.id(),
                        "a refund or lost-charge check gave up under transient faults",
                        history(order));
            }
        }
        checked(NONE_PARKED, truth.orders().size());
        checked(SETTLED_IN_TIME, truth.orders().size());
        checked(HISTORY_CONTIGUOUS, truth.orders().size());
        for (String accepted : truth.acceptedByClient()) {
            if (!truth.orders().containsKey(accepted)) {
                violation(
                        ACCEPTED_KEPT, accepted, "a client was given this order; the event store has none", List.of());
            }
        }
        checked(ACCEPTED_KEPT, truth.acceptedByClient().size());
    }

    private void stock() {
        Map<String, Integer> reservedByLines = new HashMap<>();
        for (Map.Entry<String, Truth.Reservation> reservation :
                truth.reservations().entrySet()) {
            if (reservation.getValue().status().equals("RESERVED")) {
                reservation
                        .getValue()
                        .lines()
                        .forEach((product, units) -> reservedByLines.merge(product, units, Integer::sum));
            }
        }
        for (Map.Entry<String, Truth.StockRow> product : truth.stock().entrySet()) {
            Truth.StockRow row = product.getValue();
            int initial = truth.initialStock().getOrDefault(product.getKey(), 0);
            if (row.available() + row.reserved() != initial) {
                violation(
                        STOCK_CONSERVED,
                        product.getKey(),
                        "initially " + initial + ", now " + row.available() + " available + " + row.reserved()
                                + " reserved",
                        List.of());
            }
            int lines = reservedByLines.getOrDefault(product.getKey(), 0);
            if (row.reserved() != lines) {
                violation(
                        RESERVED_MATCHES,
                        product.getKey(),
                        row.reserved() + " reserved, live reservations hold " + lines,
                        List.of());
            }
        }
        checked(STOCK_CONSERVED, truth.stock().size());
        checked(RESERVED_MATCHES, truth.stock().size());
        int cases = 0;
        for (Truth.Order order : truth.orders().values()) {
            String status = order.finalStatus().orElse(null);
            Truth.Reservation reservation = truth.reservations().get(order.id());
            boolean held = reservation != null && reservation.status().equals("RESERVED");
            if (status == null) {
                continue;
            }
            cases++;
            if ((status.equals("CANCELLED") || status.equals("REJECTED")) && held) {
                violation(
                        NO_RESERVATION_AFTER_END,
                        order.id(),
                        status + " but its stock is still reserved",
                        history(order));
            } else if (status.equals("CONFIRMED") && !held) {
                violation(
                        NO_RESERVATION_AFTER_END,
                        order.id(),
                        "CONFIRMED but its reservation is " + (reservation == null ? "missing" : reservation.status()),
                        history(order));
            } else if (status.equals("CONFIRMED") && !reservation.lines().equals(order.lines())) {
                violation(
                        NO_RESERVATION_AFTER_END,
                        order.id(),
                        "reserved " + reservation.lines() + " for the lines " + order.lines(),
                        history(order));
            }
        }
        checked(NO_RESERVATION_AFTER_END, cases);
    }

    private void money() {
        Map<String, List<Truth.Charge>> chargesByOrder = truth.charges().stream()
                .filter(charge -> charge.status().equals("authorized"))
                .collect(Collectors.groupingBy(Truth.Charge::reference));
        Set<String> refundedCharges =
                truth.providerRefunds().stream().map(Truth.Refund::chargeId).collect(Collectors.toSet());
        int paid = 0;
        int ended = 0;
        for (Truth.Order order : truth.orders().values()) {
            String status = order.finalStatus().orElse(null);
            List<Truth.Charge> charges = chargesByOrder.getOrDefault(order.id(), List.of());
            List<String> evidence = new ArrayList<>(history(order));
            charges.forEach(charge -> evidence.add("charge " + charge.id() + " " + charge.amount() + " "
                    + charge.currency() + (refundedCharges.contains(charge.id()) ? " (refunded)" : "")));
            if ("CONFIRMED".equals(status)) {
                paid++;
                Truth.PaymentRow payment = truth.payments().get(order.id());
                if (charges.size() != 1) {
                    violation(CHARGED_ONCE, order.id(), charges.size() + " charges", evidence);
                } else if (order.catalogueTotal() == null
                        || charges.get(0).amount().compareTo(order.catalogueTotal()) != 0
                        || !charges.get(0).currency().equals(order.currency())) {
                    violation(
                            CHARGED_ONCE,
                            order.id(),
                            "charged " + charges.get(0).amount() + " "
                                    + charges.get(0).currency() + ", the catalogue says " + order.catalogueTotal() + " "
                                    + order.currency(),
                            evidence);
                } else if (refundedCharges.contains(charges.get(0).id())) {
                    violation(CHARGED_ONCE, order.id(), "CONFIRMED but its charge was refunded", evidence);
                } else if (payment == null
                        || !Objects.equals(payment.chargeId(), charges.get(0).id())) {
                    violation(
                            CHARGED_ONCE, order.id(), "its payment row does not name its charge: " + payment, evidence);
                }
            } else if ("CANCELLED".equals(status) || "REJECTED".equals(status)) {
                ended++;
                for (Truth.Charge charge : charges) {
                    if (!refundedCharges.contains(charge.id())) {
                        violation(REFUNDED, order.id(), status + " with charge " + charge.id() + " kept", evidence);
                    }
                }
            }
        }
        checked(CHARGED_ONCE, paid);
        checked(REFUNDED, ended);
        int charges = 0;
        for (Truth.Charge charge : truth.charges()) {
            if (!charge.status().equals("authorized")) {
                continue;
            }
            charges++;
            Truth.PaymentRow payment = truth.payments().get(charge.reference());
            boolean recorded = payment != null && charge.id().equals(payment.chargeId());
            if (!recorded && !refundedCharges.contains(charge.id())) {
                violation(
                        CHARGE_HAS_PAYMENT,
                        charge.reference(),
                        "charge " + charge.id() + " of " + charge.amount() + " " + charge.currency()
                                + " is neither recorded nor refunded; payment row: " + payment,
                        List.of());
            }
        }
        checked(CHARGE_HAS_PAYMENT, charges);
    }

    private void shipments() {
        int cases = 0;
        for (Truth.Order order : truth.orders().values()) {
            String status = order.finalStatus().orElse(null);
            if (status == null) {
                continue;
            }
            cases++;
            Truth.ShipmentRow shipment = truth.shipments().get(order.id());
            boolean live = shipment != null && shipment.live();
            if (status.equals("CONFIRMED") != live) {
                violation(
                        SHIPMENTS,
                        order.id(),
                        status + (live ? " with a live shipment" : " without a live shipment"),
                        history(order));
            }
        }
        checked(SHIPMENTS, cases);
    }

    private void topics() {
        int orders = 0;
        for (Map.Entry<String, List<Truth.TopicEvent>> entry :
                truth.topicEvents().entrySet()) {
            String orderId = entry.getKey();
            List<Truth.TopicEvent> events = entry.getValue();
            orders++;
            for (Map.Entry<String, List<String>> effect : ONCE.entrySet()) {
                List<Truth.TopicEvent> of = events.stream()
                        .filter(event -> effect.getValue().contains(event.type()))
                        .toList();
                long ids = of.stream().map(Truth.TopicEvent::eventId).distinct().count();
                if (ids > 1) {
                    violation(
                            EFFECTS_ONCE,
                            orderId,
                            effect.getKey() + " " + ids + " times",
                            of.stream().map(Truth.TopicEvent::toString).toList());
                }
            }
            Set<String> ids = events.stream().map(Truth.TopicEvent::eventId).collect(Collectors.toSet());
            Set<String> correlations =
                    events.stream().map(Truth.TopicEvent::correlationId).collect(Collectors.toSet());
            if (!correlations.equals(Set.of(orderId))) {
                violation(
                        CORRELATED,
                        orderId,
                        "correlation ids " + correlations,
                        events.stream().map(Truth.TopicEvent::toString).toList());
            }
            for (Truth.TopicEvent event : events) {
                if (event.causationId() != null
                        && !ids.contains(event.causationId())
                        && !event.type().equals("OrderPlaced")
                        && !event.type().equals("OrderCancellationRequested")) {
                    violation(
                            CORRELATED,
                            orderId,
                            event.type() + " " + event.eventId() + " caused by " + event.causationId()
                                    + ", not an event of this order",
                            events.stream().map(Truth.TopicEvent::toString).toList());
                    break;
                }
            }
        }
        checked(EFFECTS_ONCE, orders);
        checked(CORRELATED, orders);
        for (Truth.Order order : truth.orders().values()) {
            Map<Long, String> published = new TreeMap<>();
            for (Truth.TopicEvent event : truth.topicEvents().getOrDefault(order.id(), List.of())) {
                if (event.aggregateVersion() >= 0 && event.type().startsWith("Order")) {
                    published.put(event.aggregateVersion(), event.type());
                }
            }
            Map<Long, String> decided = new TreeMap<>();
            order.events().stream()
                    .filter(event -> Truth.OWN_EVENTS.contains(event.type()))
                    .forEach(event -> decided.put(event.version(), "Order" + event.type()));
            if (!published.equals(decided)) {
                violation(
                        HISTORY_PUBLISHED,
                        order.id(),
                        "decided " + decided + ", published " + published,
                        history(order));
            }
        }
        checked(HISTORY_PUBLISHED, truth.orders().size());
    }

    private void leftovers() {
        truth.outboxRows().forEach((schema, rows) -> {
            if (rows != 0) {
                violation(OUTBOX_EMPTY, schema, rows + " rows left in the outbox", List.of());
            }
        });
        checked(OUTBOX_EMPTY, truth.outboxRows().size());
        for (Truth.DeadLetter letter : truth.deadLetters()) {
            violation(
                    NO_DEAD_LETTERS,
                    letter.key(),
                    letter.eventType() + " dead-lettered on " + letter.topic() + ": " + letter.reason(),
                    List.of());
        }
        checked(NO_DEAD_LETTERS, truth.deadLetters().size());
    }

    private void readSide() {
        for (Truth.Order order : truth.orders().values()) {
            Truth.ViewRow view = truth.views().get(order.id());
            String status = order.finalStatus().orElse("IN FLIGHT");
            if (view == null) {
                violation(VIEW_ORDERS, order.id(), "the read side does not have it", history(order));
            } else if (!view.status().equals(status) || view.version() != order.publishedVersion()) {
                violation(
                        VIEW_ORDERS,
                        order.id(),
                        "the read side says " + view.status() + " at version " + view.version() + ", the event store "
                                + status + " at version " + order.publishedVersion(),
                        history(order));
            } else if (order.catalogueTotal() != null
                    && view.totalAmount() != null
                    && view.totalAmount().compareTo(order.catalogueTotal()) != 0) {
                violation(
                        VIEW_ORDERS,
                        order.id(),
                        "the read side's total is " + view.totalAmount() + ", the order's " + order.catalogueTotal(),
                        history(order));
            }
        }
        checked(VIEW_ORDERS, truth.orders().size());
        Map<String, Long> counts = new HashMap<>();
        Map<String, Map<String, BigDecimal>> values = new HashMap<>();
        for (Truth.Order order : truth.orders().values()) {
            counts.merge(order.customerId(), 1L, Long::sum);
            if ("CONFIRMED".equals(order.finalStatus().orElse(null)) && order.catalogueTotal() != null) {
                values.computeIfAbsent(order.customerId(), customer -> new TreeMap<>())
                        .merge(order.currency(), order.catalogueTotal(), BigDecimal::add);
            }
        }
        for (Map.Entry<String, Long> customer : counts.entrySet()) {
            Truth.CustomerRow view = truth.customerViews().get(customer.getKey());
            Map<String, BigDecimal> expected = values.getOrDefault(customer.getKey(), Map.of());
            if (view == null) {
                violation(VIEW_CUSTOMERS, customer.getKey(), "the read side does not have the customer", List.of());
            } else if (view.orderCount() != customer.getValue() || !sameAmounts(view.lifetimeValue(), expected)) {
                violation(
                        VIEW_CUSTOMERS,
                        customer.getKey(),
                        "the read side counts " + view.orderCount() + " orders worth " + view.lifetimeValue()
                                + ", the event store " + customer.getValue() + " worth " + expected,
                        List.of());
            }
        }
        checked(VIEW_CUSTOMERS, counts.size());
        Map<String, BigDecimal> takings = new TreeMap<>();
        Map<String, Truth.Charge> byId = new HashMap<>();
        for (Truth.Charge charge : truth.charges()) {
            byId.put(charge.id(), charge);
            if (charge.status().equals("authorized")) {
                takings.merge(charge.currency(), charge.amount(), BigDecimal::add);
            }
        }
        for (Truth.Refund refund : truth.providerRefunds()) {
            Truth.Charge charge = byId.get(refund.chargeId());
            if (charge != null) {
                takings.merge(charge.currency(), refund.amount().negate(), BigDecimal::add);
            }
        }
        if (!sameAmounts(truth.viewRevenue(), takings)) {
            violation(
                    VIEW_REVENUE,
                    "revenue",
                    "the read side says " + truth.viewRevenue() + ", the provider's books " + takings,
                    List.of());
        }
        checked(VIEW_REVENUE, 1);
    }

    /** Equal per currency, a missing currency counting as zero. */
    private static boolean sameAmounts(Map<String, BigDecimal> left, Map<String, BigDecimal> right) {
        Set<String> currencies = new java.util.HashSet<>(left.keySet());
        currencies.addAll(right.keySet());
        for (String currency : currencies) {
            if (left.getOrDefault(currency, BigDecimal.ZERO).compareTo(right.getOrDefault(currency, BigDecimal.ZERO))
                    != 0) {
                return false;
            }
        }
        return true;
    }
}
