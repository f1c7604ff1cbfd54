package io.orderflow.eventing.outbox;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.apache.avro.specific.SpecificRecord;

/**
 * Appends events to the outbox table on the caller's connection, inside the caller's transaction: the event is
 * stored if and only if the state change beside it commits.
 */
public final class OutboxWriter {

    /** Advisory-lock namespace of the outbox, so its locks never collide with other advisory locks. */
    static final int AGGREGATE_LOCK_NAMESPACE = 0x0F10;

    private static final String LOCK_AGGREGATE = "SELECT pg_advisory_xact_lock(?, hashtext(?))";
    private static final String INSERT = """
            INSERT INTO outbox (topic, aggregate_id, event_id, event_type, correlation_id, causation_id,
                                occurred_at, producer, traceparent, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Appends one event.
     *
     * <p>Writers of the same aggregate are serialized until commit by a transaction-scoped advisory lock, so the
     * outbox ids of one aggregate grow in commit order. Without it, a transaction that took a lower id could commit
     * after a higher id of the same aggregate had been published, and the aggregate's events would be reordered.
     */
    public void append(Connection connection, Topic topic, String aggregateId, SpecificRecord event, Envelope envelope)
            throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("outbox rows must be written inside the transaction of the state change");
        }
        if (!EventTypes.nameOf(event).equals(envelope.eventType())) {
            throw new IllegalArgumentException("envelope says " + envelope.eventType() + " but the event is "
                    + EventTypes.nameOf(event));
        }
        byte[] payload = topic.valueSerde().toBytes(event);
        try (PreparedStatement lock = connection.prepareStatement(LOCK_AGGREGATE)) {
            lock.setInt(1, AGGREGATE_LOCK_NAMESPACE);
            lock.setString(2, aggregateId);
            lock.execute();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, topic.name());
            insert.setString(2, aggregateId);
            insert.setObject(3, envelope.eventId());
            insert.setString(4, envelope.eventType());
            insert.setString(5, envelope.correlationId());
            if (envelope.causationId().isPresent()) {
                insert.setObject(6, envelope.causationId().get());
            } else {
                insert.setNull(6, Types.OTHER);
            }
            insert.setTimestamp(7, Timestamp.from(envelope.occurredAt()));
            insert.setString(8, envelope.producer());
            insert.setString(9, envelope.traceparent().toString());
            insert.setBytes(10, payload);
            insert.executeUpdate();
        }
    }
}
