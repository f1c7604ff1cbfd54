package io.orderflow.eventing.consumer;

/**
 * Headers a dead-letter record carries besides Spring Kafka's {@code kafka_dlt-original-topic},
 * {@code -original-partition}, {@code -original-offset}, {@code -exception-fqcn} and {@code -exception-message},
 * and besides the original record's own headers (its envelope), which are kept for replay.
 */
public final class DeadLetterHeaders {
    public static final String ATTEMPTS = "dlq-attempts";
    public static final String FAILED_AT = "dlq-failed-at";
    public static final String REASON = "dlq-reason";
    /** The consumer (group) whose handling failed; other groups of the topic may have handled the record. */
    public static final String CONSUMER = "dlq-consumer";
    /** On a replayed record: how many times it has been replayed from a dead-letter topic. */
    public static final String REPLAY_COUNT = "dlq-replay-count";
    /** On a replayed record: the dead letter it was replayed from ({@code <dlq topic>:<partition>:<offset>}). */
    public static final String REPLAYED_FROM = "dlq-replayed-from";

    private DeadLetterHeaders() {
    }

    /** The {@link #REASON} of a record that failed with {@code cause}: what tools show and group dead letters by. */
    public static String reasonOf(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
