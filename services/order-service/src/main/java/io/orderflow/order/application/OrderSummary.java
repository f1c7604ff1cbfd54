package io.orderflow.order.application;

import io.orderflow.order.domain.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One row of an order list: enough to find the order, not its history. */
public record OrderSummary(
        UUID id,
        String customerId,
        OrderStatus status,
        String statusReason,
        String currency,
        BigDecimal totalAmount,
        int version,
        Instant placedAt,
        Instant updatedAt) {}
