package io.orderflow.eventing.outbox;

import java.time.Duration;

/**
 * Tuning of the relay.
 *
 * @param batchSize    rows claimed and published per database transaction
 * @param pollInterval longest sleep between two looks at the outbox when no NOTIFY arrives
 * @param sendTimeout  longest wait for the broker's acknowledgement of one batch
 * @param drainTimeout longest time spent publishing what is left at shutdown
 * @param maxBackoff   longest pause after a failed cycle (broker or database down)
 */
public record OutboxRelaySettings(int batchSize, Duration pollInterval, Duration sendTimeout, Duration drainTimeout,
                                  Duration maxBackoff) {

    public static OutboxRelaySettings defaults() {
        return new OutboxRelaySettings(500, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    public OutboxRelaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
    }
}
