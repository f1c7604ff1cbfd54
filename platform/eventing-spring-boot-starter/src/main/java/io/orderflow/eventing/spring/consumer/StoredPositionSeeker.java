package io.orderflow.eventing.spring.consumer;

import io.orderflow.eventing.consumer.ConsumerPositions;
import io.orderflow.eventing.consumer.StoredPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * <p>A topic that joined the subscription from a subscription of its own starts, on partitions this group never
 * committed, from the former group's committed offset when that is further: past the records the former group
 * dead-lettered, which would otherwise be tried, and dead-lettered, again.
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
    private final Map<String, ConsumedTopic> topics;

    StoredPositionSeeker(
            String consumer, DataSource dataSource, ConsumerPositions positions, List<ConsumedTopic> topics) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.positions = positions;
        this.topics = topics.stream().collect(Collectors.toMap(ConsumedTopic::name, topic -> topic));
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        Map<String, List<TopicPartition>> byTopic =
                new TreeMap<>(partitions.stream().collect(Collectors.groupingBy(TopicPartition::topic)));
        byTopic.forEach((name, assigned) -> {
            ConsumedTopic topic = topics.get(name);
            if (topic != null) {
                assigned(kafka, topic, assigned);
            }
        });
    }

    private void assigned(Consumer<?, ?> kafka, ConsumedTopic topic, List<TopicPartition> partitions) {
        List<Integer> numbers =
                partitions.stream().map(TopicPartition::partition).toList();
        FormerOffsets former = formerOffsets(kafka, topic, partitions);
        Map<Integer, StoredPosition> stored;
        Map<Integer, Long> logEnds;
        String topicId;
        try (Connection connection = dataSource.getConnection()) {
            stored = positions.read(connection, topic.recordedAs(), topic.name(), numbers);
            topicId = topic.lookup().refreshedTopicId();
            logEnds = stored.isEmpty() && former.committed().isEmpty()
                    ? Map.of()
                    : topic.lookup().logEndOffsets(numbers);
        } catch (SQLException | RuntimeException e) {
            // Still safe: each batch checks its stored positions, and the topic, before it passes a record by.
            log.warn(
                    "{}: cannot check the stored positions on {} ({}); going on from Kafka's offsets",
                    consumer,
                    topic.name(),
                    e.toString());
            return;
        }
        for (TopicPartition partition : partitions) {
            long logEnd = logEnds.getOrDefault(partition.partition(), 0L);
            StoredPosition position = stored.get(partition.partition());
            Optional<String> untrusted = position == null ? Optional.empty() : position.untrustedOn(topicId, logEnd);
            if (untrusted.isPresent()) {
                topic.refused().refuse(partition.partition(), untrusted.get());
                kafka.pause(List.of(partition));
                continue;
            }
            topic.refused().accept(partition.partition());
            long kafkas = kafka.position(partition);
            if (position != null && position.nextOffset() > kafkas) {
                log.info(
                        "{}: {} goes on from its stored position {}, not from Kafka's offset {}",
                        consumer,
                        partition,
                        position.nextOffset(),
                        kafkas);
                kafka.seek(partition, position.nextOffset());
                kafkas = position.nextOffset();
            }
            Long formerOffset = former.committed().get(partition.partition());
            if (formerOffset != null && formerOffset > kafkas && formerOffset <= logEnd) {
                log.info(
                        "{}: {} goes on from offset {}, where group {} left it",
                        consumer,
                        partition,
                        formerOffset,
                        topic.formerGroup().orElseThrow());
                kafka.seek(partition, formerOffset);
            }
        }
        commitWhereItGoesOn(kafka, former.neverCommitted(), topic);
    }

    /**
     * Commits where the group goes on from on the partitions it never committed on, once it knows: until its first
     * batch there, lag would otherwise be counted from the partition's first record.
     */
    private void commitWhereItGoesOn(Consumer<?, ?> kafka, List<TopicPartition> neverCommitted, ConsumedTopic topic) {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : neverCommitted) {
            if (!topic.refused().isRefused(partition.partition())) {
                positions.put(partition, new OffsetAndMetadata(kafka.position(partition)));
            }
        }
        if (positions.isEmpty()) {
            return;
        }
        try {
            kafka.commitSync(positions);
        } catch (RuntimeException e) {
            // Only the lag shown until the first batch there suffers; that batch commits.
            log.warn("{}: cannot commit where it goes on from on {} ({})", consumer, positions.keySet(), e.toString());
        }
    }

    /**
     * The partitions of a topic that joined this subscription from a subscription of its own on which this group has
     * not committed yet (its first assignments after the move), and the offsets the former group committed there.
     * Kafka unreachable, or the former group not readable: the stored positions alone count, and a record the
     * former group dead-lettered may be tried again.
     */
    private FormerOffsets formerOffsets(Consumer<?, ?> kafka, ConsumedTopic topic, List<TopicPartition> partitions) {
        if (topic.formerGroup().isEmpty()) {
            return FormerOffsets.NONE;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(Set.copyOf(partitions));
            List<TopicPartition> neverCommitted = partitions.stream()
                    .filter(partition -> committed.get(partition) == null)
                    .toList();
            return neverCommitted.isEmpty()
                    ? FormerOffsets.NONE
                    : new FormerOffsets(
                            neverCommitted,
                            topic.lookup()
                                    .committedOffsets(
                                            topic.formerGroup().get(),
                                            neverCommitted.stream()
                                                    .map(TopicPartition::partition)
                                                    .toList()));
        } catch (RuntimeException e) {
            log.warn(
                    "{}: cannot read where group {} left {} ({}); going on from the stored positions",
                    consumer,
                    topic.formerGroup().get(),
                    topic.name(),
                    e.toString());
            return FormerOffsets.NONE;
        }
    }

    private record FormerOffsets(List<TopicPartition> neverCommitted, Map<Integer, Long> committed) {
        static final FormerOffsets NONE = new FormerOffsets(List.of(), Map.of());
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> kafka, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        partitions.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic))
                .forEach((name, gone) -> {
                    ConsumedTopic topic = topics.get(name);
                    if (topic != null) {
                        topic.refused()
                                .forget(gone.stream()
                                        .map(TopicPartition::partition)
                                        .toList());
                    }
                });
    }
}
