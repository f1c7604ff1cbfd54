package io.orderflow.eventing.consumer;

import io.orderflow.eventing.serde.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers a dead-letter record carries besides Spring Kafka's {@code kafka_dlt-original-topic},
 * {@code -original-partition}, {@code -original-offset}, {@code -exception-fqcn} and {@code -exception-message},
 * and besides the original record's own headers (its envelope), which are kept for replay.
 */
public final class DeadLetterHeaders {
    public static final String ATTEMPTS = "dlq-attempts";
    public static final String FAILED_AT = "dlq-failed-at";
    public static final String REASON = "dlq-reason";
    /**
     * The consumer whose handling failed, by the name its topic is recorded under ({@link EventConsumer#recordedAs}:
     * its group's, or the former subscription's for a topic that joined it); other groups may have handled the record.
     */
    public static final String CONSUMER = "dlq-consumer";
    /** On a replayed record: how many times it has been replayed from a dead-letter topic. */
    public static final String REPLAY_COUNT = "dlq-replay-count";
    /** On a replayed record: the dead letter it was replayed from ({@code <dlq topic>:<partition>:<offset>}). */
    public static final String REPLAYED_FROM = "dlq-replayed-from";
    /**
     * On a replayed record: the one consumer (group) it is replayed for, the one that failed it. The topic's other
     * groups pass it by: they handled the record the first time, or have a dead letter of their own for it.
     */
    public static final String REPLAY_FOR = "dlq-replay-for";

    private DeadLetterHeaders() {}

    /**
     * Whether a record is a replay meant for another consumer than {@code consumer}, which must pass it by.
     *
     * @throws PoisonRecordException when the header is there without a value: nobody can tell whom it is for
     */
    public static boolean replayedForAnother(Headers headers, String consumer) {
        Header target = headers.lastHeader(REPLAY_FOR);
        if (target != null && target.value() == null) {
            throw new PoisonRecordException("header '" + REPLAY_FOR + "' has no value");
        }
        return target != null && !new String(target.value(), StandardCharsets.UTF_8).equals(consumer);
    }

    /** The {@link #REASON} of a record that failed with {@code cause}: what tools show and group dead letters by. */
    public static String reasonOf(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
