package io.orderflow.eventing.dlq;

import java.util.List;
import java.util.Map;

/**
 * Every dead letter counted by status, and the newest few (without their payloads).
 *
 * @param newest newest first
 */
public record DeadLetterSummary(Map<DeadLetterStatus, Long> counts, List<DeadLetter> newest) {

    public DeadLetterSummary {
        counts = Map.copyOf(counts);
        newest = List.copyOf(newest);
    }

    public long count(DeadLetterStatus status) {
        return counts.getOrDefault(status, 0L);
    }
}
