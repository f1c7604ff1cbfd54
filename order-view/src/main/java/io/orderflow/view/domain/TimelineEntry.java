package io.orderflow.view.domain;

import java.time.Instant;

/** One event of an order's history: what happened, when, and which service said so. */
public record TimelineEntry(String eventId, String type, String service, Instant at) {
}
