package io.orderflow.view.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a fact came from.
 *
 * @param at           when the fact happened, in its service's transaction
 * @param publishedAt  when it reached Kafka (the record's timestamp)
 * @param orderVersion the version the fact gave the order in order-service's event store; 0 for facts of other
 *                     contexts, which do not know it
 */
public record FactMeta(
        String eventId, String type, String service, Instant at, Instant publishedAt, long orderVersion) {
    public FactMeta {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(publishedAt, "publishedAt");
    }
}
