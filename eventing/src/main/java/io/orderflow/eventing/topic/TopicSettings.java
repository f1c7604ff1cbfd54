package io.orderflow.eventing.topic;

import java.time.Duration;

/**
 * How topics are created when they do not exist yet.
 *
 * @param partitions        partitions of each event topic and its dead-letter topic
 * @param replicationFactor 1 on the embedded single broker, 3 in production
 * @param minInsyncReplicas with {@code acks=all}, how many replicas must have a record before it counts as written
 * @param retention         how long event topics keep records
 * @param deadLetterRetention how long dead-letter topics keep records: long enough for someone to look
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, Duration retention,
                            Duration deadLetterRetention) {

    public static TopicSettings defaults() {
        return new TopicSettings(6, (short) 1, 1, Duration.ofDays(7), Duration.ofDays(28));
    }
}
