package io.orderflow.eventing.spring.consumer;

import io.orderflow.eventing.consumer.ConsumerPositions;
import io.orderflow.eventing.consumer.RefusedPartitions;
import io.orderflow.eventing.consumer.StoredPosition;
import io.orderflow.eventing.consumer.TopicLookup;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * On assignment, moves a consumer forward to its stored position wherever Kafka's is behind it: committed offsets
 * that expired or were reset would otherwise start it from the earliest record, and apply again every event the
 * inbox has forgotten. Never backwards: Kafka's offset is ahead of the stored one after records that were
 * dead-lettered or passed by without a transaction, and going back would only handle them again.
 *
 * <p>A stored position that belongs to another topic of the same name (another topic id, or beyond the partition's
 * log end) is not sought to: that would pass the new topic's records by. The partition is refused and paused
 * before anything of it is fetched.
 */
final class StoredPositionSeeker implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(StoredPositionSeeker.class);

    private final String consumer;
    private final DataSource dataSource;
    private final ConsumerPositions positions;
    private final TopicLookup topic;
    private final RefusedPartitions refused;

    StoredPositionSeeker(
            String consumer,
            DataSource dataSource,
            ConsumerPositions positions,
            TopicLookup topic,
            RefusedPartitions refused) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.positions = positions;
        this.topic = topic;
        this.refused = refused;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, StoredPosition> stored;
        Map<Integer, Long> logEnds;
        String topicId;
        try (Connection connection = dataSource.getConnection()) {
            stored = positions.read(
                    connection,
                    consumer,
                    topic.topic(),
                    partitions.stream().map(TopicPartition::partition).toList());
            topicId = topic.refreshedTopicId();
            logEnds = stored.isEmpty() ? Map.of() : topic.logEndOffsets(stored.keySet());
        } catch (SQLException | RuntimeException e) {
            // Still safe: each batch checks its stored positions, and the topic, before it passes a record by.
            log.warn(
                    "{}: cannot check the stored positions on {} ({}); going on from Kafka's offsets",
                    consumer,
                    topic.topic(),
                    e.toString());
            return;
        }
        for (TopicPartition partition : partitions) {
            StoredPosition position = stored.get(partition.partition());
            if (position == null) {
                refused.accept(partition.partition());
                continue;
            }
            Optional<String> untrusted = position.untrustedOn(topicId, logEnds.getOrDefault(partition.partition(), 0L));
            if (untrusted.isPresent()) {
                refused.refuse(partition.partition(), untrusted.get());
                kafka.pause(List.of(partition));
                continue;
            }
            refused.accept(partition.partition());
            long kafkas = kafka.position(partition);
            if (position.nextOffset() > kafkas) {
                log.info(
                        "{}: {} goes on from its stored position {}, not from Kafka's offset {}",
                        consumer,
                        partition,
                        position.nextOffset(),
                        kafkas);
                kafka.seek(partition, position.nextOffset());
            }
        }
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        refused.forget(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        refused.forget(partitions.stream().map(TopicPartition::partition).toList());
    }
}
