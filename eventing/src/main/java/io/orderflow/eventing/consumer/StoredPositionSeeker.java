package io.orderflow.eventing.consumer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
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
 */
final class StoredPositionSeeker implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(StoredPositionSeeker.class);

    private final String consumer;
    private final DataSource dataSource;
    private final ConsumerPositions positions;

    StoredPositionSeeker(String consumer, DataSource dataSource, ConsumerPositions positions) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.positions = positions;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        Map<Integer, Long> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = positions.read(connection, consumer, topic, partitions.stream().map(TopicPartition::partition)
                    .toList());
        } catch (SQLException | RuntimeException e) {
            // Still safe: each batch's transaction skips the records before its stored position.
            log.warn("{}: cannot read the stored positions on {} ({}); going on from Kafka's offsets", consumer,
                    topic, e.toString());
            return;
        }
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition.partition());
            long kafkas = kafka.position(partition);
            if (next != null && next > kafkas) {
                log.info("{}: {} goes on from its stored position {}, not from Kafka's offset {}", consumer,
                        partition, next, kafkas);
                kafka.seek(partition, next);
            }
        }
    }
}
