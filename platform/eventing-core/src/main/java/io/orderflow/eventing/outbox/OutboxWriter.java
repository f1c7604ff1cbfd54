package io.orderflow.eventing.outbox;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Appends events to the outbox table on the caller's connection, inside the caller's transaction: the events are
 * stored if and only if the state change beside them commits.
 *
 * <p>Writers of the same aggregate are serialized until commit by a transaction-scoped advisory lock, so the
 * outbox ids of one aggregate grow in commit order. Without it, a transaction that took a lower id could commit
 * after a higher id of the same aggregate had been published, and the aggregate's events would be reordered.
 */
public final class OutboxWriter {

    /** Advisory-lock namespace of the outbox, so its locks never collide with other advisory locks. */
    static final int AGGREGATE_LOCK_NAMESPACE = 0x0F10;

    // Sorted by lock key, so that two transactions locking the same aggregates cannot deadlock.
    private static final String LOCK_AGGREGATES = """
            SELECT pg_advisory_xact_lock(?, key)
            FROM (SELECT DISTINCT hashtext(aggregate) AS key FROM unnest(?::text[]) AS aggregate) keys
            ORDER BY key""";
    // One statement for any number of rows: arrays in, one row per element out, in the given order.
    private static final String INSERT = """
            INSERT INTO outbox (topic, aggregate_id, event_id, event_type, correlation_id, causation_id,
                                occurred_at, producer, traceparent, aggregate_version, payload)
            SELECT topic, aggregate_id, event_id, event_type, correlation_id, causation_id, occurred_at, producer,
                   traceparent, aggregate_version, payload
            FROM unnest(?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::uuid[],
                                 ?::timestamptz[], ?::text[], ?::text[], ?::bigint[], ?::bytea[])
            WITH ORDINALITY AS e(topic, aggregate_id, event_id, event_type, correlation_id, causation_id,
                                 occurred_at, producer, traceparent, aggregate_version, payload, position)
            ORDER BY position""";

    /** An event encoded and ready to be stored. */
    public record PendingEvent(String topic, String aggregateId, Envelope envelope, byte[] payload) {

        /** Encodes an event with its topic's serde; fails here, in the caller's code, when it cannot. */
        public static PendingEvent of(EventSerde serde, String aggregateId, SpecificRecord event, Envelope envelope) {
            if (!EventTypes.nameOf(event).equals(envelope.eventType())) {
                throw new IllegalArgumentException(
                        "envelope says " + envelope.eventType() + " but the event is " + EventTypes.nameOf(event));
            }
            return new PendingEvent(serde.topic(), aggregateId, envelope, serde.toBytes(event));
        }
    }

    /** Appends one event. */
    public void append(
            Connection connection, EventSerde serde, String aggregateId, SpecificRecord event, Envelope envelope)
            throws SQLException {
        appendAll(connection, List.of(PendingEvent.of(serde, aggregateId, event, envelope)));
    }

    /** Appends events in two statements, whatever their number: one locks their aggregates, one inserts. */
    public void appendAll(Connection connection, List<PendingEvent> events) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("outbox rows must be written inside the transaction of the state change");
        }
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(LOCK_AGGREGATES)) {
            lock.setInt(1, AGGREGATE_LOCK_NAMESPACE);
            lock.setArray(
                    2,
                    connection.createArrayOf(
                            "text",
                            events.stream()
                                    .map(PendingEvent::aggregateId)
                                    .distinct()
                                    .toArray()));
            lock.execute();
        }
        int n = events.size();
        String[] topics = new String[n];
        String[] aggregates = new String[n];
        UUID[] eventIds = new UUID[n];
        String[] types = new String[n];
        String[] correlations = new String[n];
        UUID[] causations = new UUID[n];
        Timestamp[] occurred = new Timestamp[n];
        String[] producers = new String[n];
        String[] traces = new String[n];
        Long[] versions = new Long[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            PendingEvent event = events.get(i);
            Envelope envelope = event.envelope();
            topics[i] = event.topic();
            aggregates[i] = event.aggregateId();
            eventIds[i] = envelope.eventId();
            types[i] = envelope.eventType();
            correlations[i] = envelope.correlationId();
            causations[i] = envelope.causationId().orElse(null);
            occurred[i] = Timestamp.from(envelope.occurredAt());
            producers[i] = envelope.producer();
            traces[i] = envelope.traceparent().toString();
            versions[i] = envelope.aggregateVersion().isPresent()
                    ? envelope.aggregateVersion().getAsLong()
                    : null;
            payloads[i] = event.payload();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setArray(1, connection.createArrayOf("text", topics));
            insert.setArray(2, connection.createArrayOf("text", aggregates));
            insert.setArray(3, connection.createArrayOf("uuid", eventIds));
            insert.setArray(4, connection.createArrayOf("text", types));
            insert.setArray(5, connection.createArrayOf("text", correlations));
            insert.setArray(6, connection.createArrayOf("uuid", causations));
            insert.setArray(7, connection.createArrayOf("timestamptz", occurred));
            insert.setArray(8, connection.createArrayOf("text", producers));
            insert.setArray(9, connection.createArrayOf("text", traces));
            insert.setArray(10, connection.createArrayOf("bigint", versions));
            insert.setArray(11, connection.createArrayOf("bytea", payloads));
            insert.executeUpdate();
        }
    }
}
