package io.orderflow.eventing.outbox;

import java.time.Duration;

/**
 * Tuning of the relay.
 *
 * @param batchSize    rows claimed and published per database transaction
 * @param pollInterval longest sleep between two looks at the outbox when no commit of this process wakes the relay;
 *                     also the first backoff of a failing aggregate or partition, and the longest wait for a probe
 * @param linger       shortest time between the starts of two cycles when woken: the commits of that time go out
 *                     in one batch (like the producer's {@code linger.ms}); a relay idle for longer starts at once
 * @param sendTimeout  longest wait for the broker's acknowledgement of one batch
 * @param drainTimeout longest time spent publishing what is left at shutdown
 * @param maxBackoff   longest pause after a failed cycle (broker or database down)
 */
public record OutboxRelaySettings(
        int batchSize,
        Duration pollInterval,
        Duration linger,
        Duration sendTimeout,
        Duration drainTimeout,
        Duration maxBackoff) {

    public static OutboxRelaySettings defaults() {
        return new OutboxRelaySettings(
                500,
                Duration.ofMillis(500),
                Duration.ofMillis(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    public OutboxRelaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
    }
}
