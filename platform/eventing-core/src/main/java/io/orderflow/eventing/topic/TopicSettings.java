package io.orderflow.eventing.topic;

import java.time.Duration;

/**
 * How topics are created when they do not exist yet.
 *
 * @param partitions        partitions of each event topic and its dead-letter topic
 * @param replicationFactor 1 on the embedded single broker, 3 in production
 * @param minInsyncReplicas with {@code acks=all}, how many replicas must have a record before it counts as written
 * @param retention         how long event topics keep records; {@link #FOREVER} keeps them all, which a read side
 *                          that is rebuilt from the topics' history needs
 * @param deadLetterRetention how long dead-letter topics keep records: long enough for someone to look
 */
public record TopicSettings(
        int partitions,
        short replicationFactor,
        int minInsyncReplicas,
        Duration retention,
        Duration deadLetterRetention) {

    /** Kafka's {@code retention.ms=-1}: no record is deleted for its age. */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    public TopicSettings {
        if (retention.isNegative() && !retention.equals(FOREVER)) {
            throw new IllegalArgumentException("retention must be positive, or -1ms to keep every record");
        }
    }

    public static TopicSettings defaults() {
        return new TopicSettings(6, (short) 1, 1, FOREVER, Duration.ofDays(28));
    }
}
