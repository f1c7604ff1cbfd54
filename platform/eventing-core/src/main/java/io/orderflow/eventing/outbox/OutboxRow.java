package io.orderflow.eventing.outbox;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** One claimed outbox row: an event ready to be published. */
record OutboxRow(long id, String topic, String aggregateId, Envelope envelope, byte[] payload, Instant createdAt) {

    static final String COLUMNS = "id, topic, aggregate_id, event_id, event_type, correlation_id, causation_id, "
            + "occurred_at, producer, traceparent, aggregate_version, payload, created_at";

    static OutboxRow read(ResultSet row) throws SQLException {
        Envelope envelope = new Envelope(
                row.getObject("event_id", UUID.class),
                row.getString("event_type"),
                row.getString("correlation_id"),
                Optional.ofNullable(row.getObject("causation_id", UUID.class)),
                row.getTimestamp("occurred_at").toInstant(),
                row.getString("producer"),
                Traceparent.parse(row.getString("traceparent")),
                aggregateVersion(row));
        return new OutboxRow(
                row.getLong("id"),
                row.getString("topic"),
                row.getString("aggregate_id"),
                envelope,
                row.getBytes("payload"),
                row.getTimestamp("created_at").toInstant());
    }

    private static OptionalLong aggregateVersion(ResultSet row) throws SQLException {
        long version = row.getLong("aggregate_version");
        return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(version);
    }

    ProducerRecord<String, byte[]> toProducerRecord(int partition) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, aggregateId, payload);
        envelope.writeTo(record.headers());
        return record;
    }
}
