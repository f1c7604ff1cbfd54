package io.orderflow.eventing.dlq;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.topic.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record in a dead-letter topic, with what its headers say about the failure and what has been done about it.
 *
 * @param originalTopic the topic it failed on, where a replay sends it
 * @param key           the aggregate id; null on a record that had none (one reason to dead-letter it)
 * @param replayCount   how many times it had been replayed before it failed this time
 * @param headers       every header as text, the envelope's and the failure's
 * @param outcome       what was done about it, when it was; empty while pending
 */
public record DeadLetter(
        DeadLetterId id,
        String originalTopic,
        String key,
        String eventType,
        String eventId,
        String consumer,
        String reason,
        int attempts,
        Optional<Instant> failedAt,
        int replayCount,
        Instant writtenAt,
        byte[] value,
        Map<String, String> headers,
        Optional<Outcome> outcome) {

    static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    private static final Set<String> BINARY_HEADERS =
            Set.of(ORIGINAL_PARTITION, ORIGINAL_OFFSET, "kafka_dlt-original-timestamp");

    public DeadLetter {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record, Optional<Outcome> outcome) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), text(header));
        }
        String dlqTopic = record.topic();
        String original = headers.getOrDefault(
                ORIGINAL_TOPIC, dlqTopic.substring(0, dlqTopic.length() - Topic.DEAD_LETTER_SUFFIX.length()));
        String reason =
                headers.getOrDefault(DeadLetterHeaders.REASON, headers.getOrDefault(EXCEPTION_MESSAGE, "unknown"));
        return new DeadLetter(
                new DeadLetterId(dlqTopic, record.partition(), record.offset()),
                original,
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                headers.getOrDefault(EventHeaders.EVENT_TYPE, ""),
                headers.getOrDefault(EventHeaders.EVENT_ID, ""),
                headers.getOrDefault(DeadLetterHeaders.CONSUMER, headers.getOrDefault(ORIGINAL_CONSUMER_GROUP, "")),
                reason,
                number(headers.get(DeadLetterHeaders.ATTEMPTS)),
                instant(headers.get(DeadLetterHeaders.FAILED_AT)),
                number(headers.get(DeadLetterHeaders.REPLAY_COUNT)),
                Instant.ofEpochMilli(record.timestamp()),
                record.value(),
                headers,
                outcome);
    }

    /** The same, without the payload: for keeping many in memory. */
    DeadLetter withoutValue() {
        return new DeadLetter(
                id,
                originalTopic,
                key,
                eventType,
                eventId,
                consumer,
                reason,
                attempts,
                failedAt,
                replayCount,
                writtenAt,
                null,
                headers,
                outcome);
    }

    public DeadLetterStatus status() {
        return outcome.map(Outcome::status).orElse(DeadLetterStatus.PENDING);
    }

    /** The headers a replay carries: the envelope's, without the failure's, which belong to the dead letter. */
    static boolean keptOnReplay(String header) {
        return !header.startsWith("kafka_dlt-") && !header.startsWith("dlq-");
    }

    static void copyForReplay(Headers from, Headers to) {
        for (Header header : from) {
            if (keptOnReplay(header.key())) {
                to.add(header.key(), header.value());
            }
        }
    }

    /** Spring Kafka writes the original partition, offset and timestamp as binary numbers; the rest is text. */
    private static String text(Header header) {
        byte[] value = header.value();
        if (value == null) {
            return "";
        }
        if (BINARY_HEADERS.contains(header.key()) && (value.length == Integer.BYTES || value.length == Long.BYTES)) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            return String.valueOf(value.length == Integer.BYTES ? buffer.getInt() : buffer.getLong());
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static int number(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.ofNullable(text).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * What was done about a dead letter, kept in the compacted topic {@value DeadLetterAdmin#OUTCOMES_TOPIC} under
     * its id, as one line of text: {@code <STATUS> <at> <detail>}.
     */
    public record Outcome(DeadLetterStatus status, Instant at, String detail) {

        byte[] toBytes() {
            return (status + " " + at + " " + detail).getBytes(StandardCharsets.UTF_8);
        }

        static Optional<Outcome> fromBytes(byte[] bytes) {
            if (bytes == null) {
                return Optional.empty();
            }
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split(" ", 3);
            try {
                return Optional.of(new Outcome(
                        DeadLetterStatus.valueOf(parts[0]), Instant.parse(parts[1]), parts.length > 2 ? parts[2] : ""));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
