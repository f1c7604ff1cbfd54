package io.orderflow.order.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The order aggregate: what the customer asked for and where its saga stands. */
public final class Order {

    public static final int MAX_LINES = 100;

    private final UUID id;
    private final String customerId;
    private final String currency;
    private final List<OrderLine> lines;
    private final Instant placedAt;
    private OrderStatus status;
    private String rejectionReason;
    private Instant updatedAt;

    private Order(UUID id, String customerId, String currency, List<OrderLine> lines, Instant placedAt,
                  OrderStatus status, String rejectionReason, Instant updatedAt) {
        this.id = Objects.requireNonNull(id);
        this.customerId = Objects.requireNonNull(customerId);
        this.currency = Objects.requireNonNull(currency);
        this.lines = List.copyOf(lines);
        this.placedAt = Objects.requireNonNull(placedAt);
        this.status = Objects.requireNonNull(status);
        this.rejectionReason = rejectionReason;
        this.updatedAt = Objects.requireNonNull(updatedAt);
    }

    /** Places a new order; returns the event that says so. */
    public static OrderPlaced place(UUID id, String customerId, String currency, List<OrderLine> lines, Instant now) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("an order has at most " + MAX_LINES + " lines");
        }
        return new OrderPlaced(new Order(id, customerId, currency, lines, now, OrderStatus.PLACED, null, now));
    }

    /** Rebuilds an order from storage. */
    public static Order restore(UUID id, String customerId, String currency, List<OrderLine> lines, Instant placedAt,
                                OrderStatus status, String rejectionReason, Instant updatedAt) {
        return new Order(id, customerId, currency, lines, placedAt, status, rejectionReason, updatedAt);
    }

    public Transition stockReserved(Instant now) {
        return moveFromPlaced(OrderStatus.RESERVED, null, now);
    }

    public Transition stockRejected(String reason, Instant now) {
        return moveFromPlaced(OrderStatus.REJECTED, reason, now);
    }

    private Transition moveFromPlaced(OrderStatus target, String reason, Instant now) {
        if (status == target) {
            return Transition.ALREADY_THERE;
        }
        if (status != OrderStatus.PLACED) {
            return Transition.IGNORED;
        }
        status = target;
        rejectionReason = reason;
        updatedAt = now;
        return Transition.APPLIED;
    }

    public BigDecimal totalAmount() {
        return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add)
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

    public OrderStatus status() {
        return status;
    }

    public Optional<String> rejectionReason() {
        return Optional.ofNullable(rejectionReason);
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
