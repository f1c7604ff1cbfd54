package io.orderflow.view.domain;

import java.time.Instant;

/**
 * One event of an order's history: what happened, when, and which service said so.
 *
 * @param publishedAt when the event reached Kafka: the gap from {@code at} is its outbox relay's delay
 */
public record TimelineEntry(String eventId, String type, String service, Instant at, Instant publishedAt) {}
