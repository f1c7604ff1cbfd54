package io.orderflow.order.application;

import io.orderflow.order.domain.OrderStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * @param byStatus         orders per status; a status no order is in is absent
 * @param oldestOpenSince  the last change of the order that has waited longest in a status that is not final
 */
public record SagaCensus(Map<OrderStatus, Long> byStatus, Optional<Instant> oldestOpenSince) {

    public SagaCensus {
        byStatus = Map.copyOf(byStatus);
    }

    public long count(OrderStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }
}
