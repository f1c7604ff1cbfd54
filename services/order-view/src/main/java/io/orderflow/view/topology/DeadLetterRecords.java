package io.orderflow.view.topology;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Dead letters of the view in the same form as the services' (Spring Kafka's original-record headers plus ours), so
 * one tool lists and replays them all. The original headers, the envelope, stay for replay.
 */
final class DeadLetterRecords {

    private DeadLetterRecords() {}

    static Record<String, Object> of(
            Record<String, byte[]> failed, RecordMetadata source, Throwable cause, String applicationId, Instant now) {
        Headers headers = new RecordHeaders(failed.headers().toArray());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(source.topic()));
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_PARTITION,
                ByteBuffer.allocate(4).putInt(source.partition()).array());
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_OFFSET,
                ByteBuffer.allocate(8).putLong(source.offset()).array());
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                ByteBuffer.allocate(8).putLong(failed.timestamp()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(applicationId));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(cause.getClass().getName()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(String.valueOf(cause.getMessage())));
        // Nothing is retried in a stream: a record that failed once fails the same way again.
        headers.add(DeadLetterHeaders.ATTEMPTS, utf8("1"));
        headers.add(DeadLetterHeaders.FAILED_AT, utf8(now.toString()));
        headers.add(DeadLetterHeaders.REASON, utf8(DeadLetterHeaders.reasonOf(cause)));
        headers.add(DeadLetterHeaders.CONSUMER, utf8(applicationId));
        return new Record<String, Object>(
                failed.key(), new DeadLetter(source.topic(), failed.value()), failed.timestamp(), headers);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
