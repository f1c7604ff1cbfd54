package io.orderflow.order.web;

import io.orderflow.order.domain.Order;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API shows it. */
record OrderResponse(
        UUID id,
        String customerId,
        String currency,
        String status,
        BigDecimal totalAmount,
        List<Item> items,
        String rejectionReason,
        Instant placedAt,
        Instant updatedAt) {

    record Item(String productId, int quantity, BigDecimal unitPrice) {
    }

    static OrderResponse of(Order order) {
        return new OrderResponse(order.id(), order.customerId(), order.currency(), order.status().name(),
                order.totalAmount(),
                order.lines().stream().map(l -> new Item(l.productId(), l.quantity(), l.unitPrice())).toList(),
                order.rejectionReason().orElse(null), order.placedAt(), order.updatedAt());
    }
}
