package io.orderflow.order.domain;

import io.orderflow.order.domain.OrderEvent.CancellationRequested;
import io.orderflow.order.domain.OrderEvent.Cancelled;
import io.orderflow.order.domain.OrderEvent.CompensationFailed;
import io.orderflow.order.domain.OrderEvent.Confirmed;
import io.orderflow.order.domain.OrderEvent.PaymentAuthorized;
import io.orderflow.order.domain.OrderEvent.PaymentDeclined;
import io.orderflow.order.domain.OrderEvent.PaymentRefunded;
import io.orderflow.order.domain.OrderEvent.PaymentVoided;
import io.orderflow.order.domain.OrderEvent.Placed;
import io.orderflow.order.domain.OrderEvent.Rejected;
import io.orderflow.order.domain.OrderEvent.ShipmentCancelled;
import io.orderflow.order.domain.OrderEvent.ShipmentScheduled;
import io.orderflow.order.domain.OrderEvent.StockRejected;
import io.orderflow.order.domain.OrderEvent.StockReleased;
import io.orderflow.order.domain.OrderEvent.StockReserved;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The order aggregate, event-sourced: its state is what its events say, and every change is an event it raises.
 * Commands never throw for a late, repeated or contradicting answer of another service: a fact already known raises
 * nothing, a fact that cannot move the order is recorded for its history and moves nothing.
 */
public final class Order {

    public static final int MAX_LINES = 100;

    private final UUID id;
    private int version;
    private String customerId;
    private String currency;
    private List<OrderLine> lines = List.of();
    private Instant placedAt;
    private Instant paymentDue;
    private OrderStatus status;
    private boolean stockReserved;
    private String chargeId;
    private String trackingNumber;
    private boolean shipmentCancelled;
    private boolean stockSettled;
    private boolean paymentSettled;
    private CancellationReason cancellationReason;
    private String statusReason;
    private Instant updatedAt;
    private final List<OrderEvent> raised = new ArrayList<>();

    private Order(UUID id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    /** Places a new order, due to be paid within {@code paymentWindow}. */
    public static Order place(
            UUID id, String customerId, String currency, List<OrderLine> lines, Duration paymentWindow, Instant now) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("an order has at most " + MAX_LINES + " lines");
        }
        Order order = new Order(id);
        order.raise(new Placed(customerId, currency, lines, now.plus(paymentWindow), now));
        return order;
    }

    /** The order its events describe, starting from a snapshot when there is one. */
    public static Order replay(UUID id, Optional<OrderState> snapshot, List<OrderEvent> events) {
        Order order = snapshot.map(Order::fromSnapshot).orElseGet(() -> new Order(id));
        if (!order.id.equals(id)) {
            throw new IllegalArgumentException("snapshot of order " + order.id + " given for " + id);
        }
        events.forEach(order::apply);
        if (order.status == null) {
            throw new IllegalStateException("order " + id + " has no Placed event");
        }
        return order;
    }

    // ---- facts reported by the other services

    public void stockReserved(Instant at) {
        if (!stockReserved) {
            raise(new StockReserved(at));
        }
    }

    public void stockRejected(String reason, Instant at) {
        if (status == OrderStatus.PLACED) {
            raise(new StockRejected(reason, at));
            raise(new Rejected(reason, at));
        } else if (status == OrderStatus.CANCELLING && !stockSettled) {
            raise(new StockRejected(reason, at));
            completeCancellationIfSettled(at);
        }
    }

    public void paymentAuthorized(String charge, Instant at) {
        if (chargeId != null) {
            return;
        }
        raise(new PaymentAuthorized(charge, at));
        confirmIfShipped(at);
    }

    public void paymentDeclined(String reason, Instant at) {
        if (paymentSettled || chargeId != null) {
            return;
        }
        raise(new PaymentDeclined(reason, at));
        completeCancellationIfSettled(at);
    }

    public void shipmentScheduled(String carrier, String tracking, Instant at) {
        if (trackingNumber != null) {
            return;
        }
        raise(new ShipmentScheduled(carrier, tracking, at));
        confirmIfShipped(at);
    }

    public void shipmentCancelled(String tracking, Instant at) {
        if (!shipmentCancelled) {
            raise(new ShipmentCancelled(tracking, at));
        }
    }

    public void stockReleased(Instant at) {
        if (stockSettled) {
            return;
        }
        raise(new StockReleased(at));
        completeCancellationIfSettled(at);
    }

    public void paymentRefunded(String refundId, Instant at) {
        if (paymentSettled) {
            return;
        }
        raise(new PaymentRefunded(refundId, at));
        completeCancellationIfSettled(at);
    }

    public void paymentVoided(Instant at) {
        if (paymentSettled) {
            return;
        }
        raise(new PaymentVoided(at));
        completeCancellationIfSettled(at);
    }

    /** A compensation failed after every retry: the order is parked for an operator. */
    public void compensationFailed(String reason, Instant at) {
        if (!status.isFinal()) {
            raise(new CompensationFailed(reason, at));
        }
    }

    // ---- the order's own decisions

    /** The customer asks to cancel: allowed until the order is shipped. */
    public Cancellation cancel(Instant at) {
        if (status == OrderStatus.CANCELLING || status == OrderStatus.CANCELLED) {
            return new Cancellation.AlreadyUnderway(status);
        }
        if (trackingNumber != null || status == OrderStatus.CONFIRMED) {
            return new Cancellation.Refused("order " + id + " is shipped (tracking number " + trackingNumber
                    + "); it can no longer be cancelled");
        }
        if (status == OrderStatus.REJECTED) {
            return new Cancellation.Refused(
                    "order " + id + " was rejected (" + statusReason + "); nothing is held or charged");
        }
        if (status == OrderStatus.COMPENSATION_FAILED) {
            return new Cancellation.Refused("order " + id + " is waiting for an operator: " + statusReason);
        }
        raise(new CancellationRequested(CancellationReason.CUSTOMER_REQUEST, at));
        return new Cancellation.Started();
    }

    /** The payment deadline passed: an order still waiting for its payment is cancelled. */
    public void paymentDeadlineExpired(Instant at) {
        if (status.awaitsPayment() && chargeId == null && trackingNumber == null && !at.isBefore(paymentDue)) {
            raise(new CancellationRequested(CancellationReason.PAYMENT_DEADLINE_EXPIRED, at));
        }
    }

    private void confirmIfShipped(Instant at) {
        if (status == OrderStatus.PAID && trackingNumber != null) {
            raise(new Confirmed(at));
        }
    }

    private void completeCancellationIfSettled(Instant at) {
        if (status == OrderStatus.CANCELLING && stockSettled && paymentSettled) {
            raise(new Cancelled(statusReason, at));
        }
    }

    // ---- state changes: the only place fields change, used for new events and for replay alike

    private void raise(OrderEvent event) {
        apply(event);
        raised.add(event);
    }

    private void apply(OrderEvent event) {
        if (event instanceof Placed placed) {
            customerId = placed.customerId();
            currency = placed.currency();
            lines = placed.lines();
            placedAt = placed.at();
            paymentDue = placed.paymentDue();
            status = OrderStatus.PLACED;
        } else if (event instanceof StockReserved) {
            stockReserved = true;
            if (status == OrderStatus.PLACED) {
                status = OrderStatus.RESERVED;
            }
        } else if (event instanceof StockRejected) {
            stockSettled = true;
        } else if (event instanceof PaymentAuthorized authorized) {
            chargeId = authorized.chargeId();
            if (status.awaitsPayment()) {
                status = OrderStatus.PAID;
            }
        } else if (event instanceof PaymentDeclined declined) {
            paymentSettled = true;
            if (status.awaitsPayment()) {
                startCancelling(CancellationReason.PAYMENT_DECLINED, "payment declined: " + declined.reason());
            }
        } else if (event instanceof ShipmentScheduled scheduled) {
            trackingNumber = scheduled.trackingNumber();
        } else if (event instanceof ShipmentCancelled) {
            shipmentCancelled = true;
        } else if (event instanceof StockReleased) {
            stockSettled = true;
        } else if (event instanceof PaymentRefunded || event instanceof PaymentVoided) {
            paymentSettled = true;
        } else if (event instanceof CancellationRequested requested) {
            startCancelling(requested.reason(), describe(requested.reason()));
        } else if (event instanceof Confirmed) {
            status = OrderStatus.CONFIRMED;
        } else if (event instanceof Rejected rejected) {
            status = OrderStatus.REJECTED;
            statusReason = rejected.reason();
        } else if (event instanceof Cancelled) {
            status = OrderStatus.CANCELLED;
        } else if (event instanceof CompensationFailed failed) {
            status = OrderStatus.COMPENSATION_FAILED;
            statusReason = failed.reason();
        }
        version++;
        updatedAt = event.at();
    }

    private void startCancelling(CancellationReason reason, String detail) {
        status = OrderStatus.CANCELLING;
        cancellationReason = reason;
        statusReason = detail;
    }

    private static String describe(CancellationReason reason) {
        switch (reason) {
            case CUSTOMER_REQUEST:
                return "cancelled by the customer";
            case PAYMENT_DEADLINE_EXPIRED:
                return "no payment before the deadline";
            default:
                return reason.name();
        }
    }

    // ---- snapshots

    public OrderState snapshot() {
        return new OrderState(
                id,
                version,
                customerId,
                currency,
                lines,
                placedAt,
                paymentDue,
                status,
                stockReserved,
                chargeId,
                trackingNumber,
                shipmentCancelled,
                stockSettled,
                paymentSettled,
                cancellationReason,
                statusReason,
                updatedAt);
    }

    private static Order fromSnapshot(OrderState state) {
        Order order = new Order(state.id());
        order.version = state.version();
        order.customerId = state.customerId();
        order.currency = state.currency();
        order.lines = state.lines();
        order.placedAt = state.placedAt();
        order.paymentDue = state.paymentDue();
        order.status = state.status();
        order.stockReserved = state.stockReserved();
        order.chargeId = state.chargeId();
        order.trackingNumber = state.trackingNumber();
        order.shipmentCancelled = state.shipmentCancelled();
        order.stockSettled = state.stockSettled();
        order.paymentSettled = state.paymentSettled();
        order.cancellationReason = state.cancellationReason();
        order.statusReason = state.statusReason();
        order.updatedAt = state.updatedAt();
        return order;
    }

    // ---- reading

    /** The events raised since the order was loaded, to be appended after {@link #loadedVersion()}. */
    public List<OrderEvent> raised() {
        return List.copyOf(raised);
    }

    /** The version the order had when it was loaded: the version its new events must follow. */
    public int loadedVersion() {
        return version - raised.size();
    }

    public int version() {
        return version;
    }

    public BigDecimal totalAmount() {
        return lines.stream()
                .map(OrderLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    public UUID id() {
        return id;
    }

    public String customerId() {
        return customerId;
    }

    public String currency() {
        return currency;
    }

    public List<OrderLine> lines() {
        return lines;
    }

    public Instant placedAt() {
        return placedAt;
    }

    public Instant paymentDue() {
        return paymentDue;
    }

    public OrderStatus status() {
        return status;
    }

    public Optional<String> statusReason() {
        return Optional.ofNullable(statusReason);
    }

    public Optional<CancellationReason> cancellationReason() {
        return Optional.ofNullable(cancellationReason);
    }

    public Optional<String> chargeId() {
        return Optional.ofNullable(chargeId);
    }

    public Optional<String> trackingNumber() {
        return Optional.ofNullable(trackingNumber);
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
