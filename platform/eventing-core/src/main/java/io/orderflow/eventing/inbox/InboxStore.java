package io.orderflow.eventing.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The processed-events inbox. An event id is recorded in the same transaction as the effects of handling it, so
 * a redelivered event finds its id already there and is skipped instead of applied twice.
 */
public final class InboxStore {

    private static final String RECORD_MANY = """
            INSERT INTO processed_events (consumer, event_id)
            SELECT * FROM unnest(?::text[], ?::uuid[])
            ON CONFLICT DO NOTHING
            RETURNING event_id""";
    private static final String RECORD_ONE = """
            INSERT INTO processed_events (consumer, event_id) VALUES (?, ?)
            ON CONFLICT DO NOTHING""";

    /**
     * Records a batch of event ids in one round trip, each under the consumer name at the same index of
     * {@code consumers} (a subscription to several topics may record them under several names).
     *
     * @return the ids seen for the first time; an id listed twice in the batch is returned once
     */
    public Set<UUID> recordNew(Connection connection, List<String> consumers, List<UUID> eventIds) throws SQLException {
        if (consumers.size() != eventIds.size()) {
            throw new IllegalArgumentException(
                    consumers.size() + " consumer names for " + eventIds.size() + " event ids");
        }
        Set<UUID> fresh = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(RECORD_MANY)) {
            insert.setArray(1, connection.createArrayOf("text", consumers.toArray()));
            insert.setArray(2, connection.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet result = insert.executeQuery()) {
                while (result.next()) {
                    fresh.add(result.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }

    /** Records one event id; false when it was processed before. */
    public boolean recordNew(Connection connection, String consumer, UUID eventId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(RECORD_ONE)) {
            insert.setString(1, consumer);
            insert.setObject(2, eventId);
            return insert.executeUpdate() == 1;
        }
    }
}
