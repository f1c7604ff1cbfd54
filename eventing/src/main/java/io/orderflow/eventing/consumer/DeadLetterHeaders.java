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

    private DeadLetterHeaders() {
    }

    /** The {@link #REASON} of a record that failed with {@code cause}: what tools show and group dead letters by. */
    public static String reasonOf(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
