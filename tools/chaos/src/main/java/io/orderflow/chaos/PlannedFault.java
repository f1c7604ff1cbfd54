package io.orderflow.chaos;

import java.time.Duration;

/**
 * One fault of the schedule.
 *
 * @param at     from the start of the load
 * @param target the instance ({@code payment-service-2}), the broker ({@code node-1}, or {@code controller} for
 *               whichever node leads the metadata quorum then), or empty for PostgreSQL, the provider and the registry
 * @param hold   how long it lasts: until a killed process is started again, a paused one resumed, an outage healed
 */
public record PlannedFault(Duration at, FaultKind kind, String target, Duration hold) {}
