package io.orderflow.eventing.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Each consumer's next offset per partition, and the id of the topic it was taken on, kept in the service's database
 * beside the inbox. Positions only move forward here; an operator who rewinds a consumer moves them back by hand
 * (docs/eventing.md says how).
 */
public final class ConsumerPositions {

    // The data-modifying CTE reads the positions as they were before this statement moved them: one round trip.
    private static final String ADVANCE = """
            WITH before AS (
                SELECT partition, next_offset, topic_id FROM consumer_positions
                WHERE consumer = ? AND topic = ? AND partition = ANY (?)
            ), advanced AS (
                INSERT INTO consumer_positions (consumer, topic, partition, next_offset, topic_id)
                SELECT ?, ?, p, o, ? FROM unnest(?::int[], ?::bigint[]) AS moved(p, o)
                ON CONFLICT (consumer, topic, partition) DO UPDATE
                    SET next_offset = greatest(consumer_positions.next_offset, excluded.next_offset),
                        topic_id = excluded.topic_id,
                        updated_at = now()
            )
            SELECT partition, next_offset, topic_id FROM before""";
    private static final String READ = """
            SELECT partition, next_offset, topic_id FROM consumer_positions
            WHERE consumer = ? AND topic = ? AND partition = ANY (?)""";

    /**
     * Moves a consumer's positions on a topic forward to the given next offsets, by partition, as positions on the
     * topic with this id. The caller refuses, and rolls back, when a position before was taken on another topic.
     *
     * @return the positions before, of the partitions that had one
     */
    public Map<Integer, StoredPosition> advance(
            Connection connection, String consumer, String topic, String topicId, Map<Integer, Long> nextOffsets)
            throws SQLException {
        Integer[] partitions = nextOffsets.keySet().toArray(Integer[]::new);
        Long[] offsets = new Long[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            offsets[i] = nextOffsets.get(partitions[i]);
        }
        try (PreparedStatement advance = connection.prepareStatement(ADVANCE)) {
            advance.setString(1, consumer);
            advance.setString(2, topic);
            advance.setArray(3, connection.createArrayOf("int4", partitions));
            advance.setString(4, consumer);
            advance.setString(5, topic);
            advance.setString(6, topicId);
            advance.setArray(7, connection.createArrayOf("int4", partitions));
            advance.setArray(8, connection.createArrayOf("int8", offsets));
            return positions(advance);
        }
    }

    /** A consumer's positions on some partitions of a topic, of those that have one. */
    public Map<Integer, StoredPosition> read(
            Connection connection, String consumer, String topic, Collection<Integer> partitions) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setString(1, consumer);
            read.setString(2, topic);
            read.setArray(3, connection.createArrayOf("int4", partitions.toArray()));
            return positions(read);
        }
    }

    private static Map<Integer, StoredPosition> positions(PreparedStatement query) throws SQLException {
        Map<Integer, StoredPosition> positions = new HashMap<>();
        try (ResultSet result = query.executeQuery()) {
            while (result.next()) {
                positions.put(result.getInt(1), new StoredPosition(result.getLong(2), result.getString(3)));
            }
        }
        return positions;
    }
}
