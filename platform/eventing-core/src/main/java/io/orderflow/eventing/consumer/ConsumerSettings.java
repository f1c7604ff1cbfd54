package io.orderflow.eventing.consumer;

import java.time.Duration;

/**
 * Tuning of every consumer of a service.
 *
 * @param concurrency     consumer threads per subscription (at most the topic's partition count is useful)
 * @param maxPollRecords  records per poll, so per database transaction
 * @param retries         retries of a failing record after its first attempt, before it is dead-lettered
 * @param initialBackoff  pause before the first retry; doubled each time up to {@code maxBackoff}
 * @param maxBackoff      longest pause between two retries
 * @param shutdownTimeout longest wait for the batch in hand when the service stops
 * @param sessionTimeout  how soon the group gives a crashed instance's partitions to another one (Kafka's 45 s
 *                        default leaves a partition idle that long after a crash)
 */
public record ConsumerSettings(
        int concurrency,
        int maxPollRecords,
        int retries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration shutdownTimeout,
        Duration sessionTimeout) {

    public static ConsumerSettings defaults() {
        return new ConsumerSettings(
                1,
                500,
                4,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10));
    }

    /** Attempts a record gets before the dead-letter topic: the first one and the retries. */
    public int attempts() {
        return retries + 1;
    }
}
