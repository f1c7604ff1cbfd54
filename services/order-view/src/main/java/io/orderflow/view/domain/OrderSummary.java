package io.orderflow.view.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One line of a customer's order history. */
public record OrderSummary(
        String orderId, OrderStatus status, String currency, BigDecimal totalAmount, Instant placedAt) {

    /** What the order adds to its customer's lifetime value: its total once confirmed, else nothing. */
    public BigDecimal value() {
        return status == OrderStatus.CONFIRMED ? totalAmount : BigDecimal.ZERO;
    }
}
