package io.orderflow.order.web;

import io.orderflow.order.application.RecordedEvent;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderEvent;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An order as the API shows it, with its history when it was read with it. */
record OrderResponse(
        UUID id,
        String customerId,
        String currency,
        String status,
        String statusReason,
        BigDecimal totalAmount,
        List<Item> items,
        String chargeId,
        String trackingNumber,
        Instant paymentDue,
        Instant placedAt,
        Instant updatedAt,
        int version,
        List<HistoryEntry> history) {

    record Item(String productId, int quantity, BigDecimal unitPrice) {}

    /** One event of the order: what happened, when, and its details. */
    record HistoryEntry(int version, String type, Instant at, Map<String, Object> details) {}

    static OrderResponse of(Order order) {
        return of(order, null);
    }

    static OrderResponse withHistory(UUID id, List<RecordedEvent> history) {
        Order order = Order.replay(
                id,
                java.util.Optional.empty(),
                history.stream().map(RecordedEvent::event).toList());
        return of(order, history.stream().map(OrderResponse::entry).toList());
    }

    private static OrderResponse of(Order order, List<HistoryEntry> history) {
        return new OrderResponse(
                order.id(),
                order.customerId(),
                order.currency(),
                order.status().name(),
                order.statusReason().orElse(null),
                order.totalAmount(),
                order.lines().stream()
                        .map(l -> new Item(l.productId(), l.quantity(), l.unitPrice()))
                        .toList(),
                order.chargeId().orElse(null),
                order.trackingNumber().orElse(null),
                order.paymentDue(),
                order.placedAt(),
                order.updatedAt(),
                order.version(),
                history);
    }

    private static HistoryEntry entry(RecordedEvent recorded) {
        OrderEvent event = recorded.event();
        Map<String, Object> details = new LinkedHashMap<>();
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (component.getName().equals("at")) {
                continue;
            }
            try {
                details.put(component.getName(), component.getAccessor().invoke(event));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + event, e);
            }
        }
        return new HistoryEntry(recorded.version(), event.getClass().getSimpleName(), event.at(), details);
    }
}
