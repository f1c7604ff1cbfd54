package io.orderflow.eventing.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer lag read from the broker, as an operator would: the group's committed offsets against the partitions'
 * read-committed ends (Admin), a partition assigned but not yet committed counting from its start, and, where the
 * group is behind, the age of the oldest record it has not read (one record fetched at the committed offset).
 * Records say how much work waits; the age says how stale what the group has done is, which is what an alarm should
 * be about: a thousand records are nothing at one rate and an hour at another.
 */
public final class ConsumerLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> peeker;
    private final Clock clock;

    public ConsumerLag(Map<String, Object> kafka, Clock clock) {
        this.admin = Admin.create(kafka);
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "consumer-lag-" + UUID.randomUUID().toString().substring(0, 8));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // Only the first record of each partition is wanted: a group that is behind would otherwise have up to a
        // megabyte per partition fetched and decoded at every reading (under load, 10-20 % of the services' sampled
        // Java time). 16 KiB holds a first batch at the saga's rates, for every partition in one fetch; a larger
        // first batch still comes whole, at most one partition per fetch.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.peeker = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.clock = clock;
    }

    /** The group's lag on every partition it has committed an offset for, by topic and partition. */
    public synchronized List<PartitionLag> of(String group) {
        try {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, offset) -> {
                        if (offset != null) {
                            committed.put(partition, offset.offset());
                        }
                    });
            // A partition assigned to a member that has not committed yet (a new group, or one whose first batch
            // keeps failing) is read from its start: our consumers reset to the earliest offset.
            Set<TopicPartition> uncommitted = new HashSet<>(assigned(group));
            uncommitted.removeAll(committed.keySet());
            if (!uncommitted.isEmpty()) {
                offsets(uncommitted, OffsetSpec.earliest())
                        .forEach((partition, start) -> committed.put(partition, start.offset()));
            }
            if (committed.isEmpty()) {
                return List.of();
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    offsets(committed.keySet(), OffsetSpec.latest());
            Map<TopicPartition, Long> behindFrom = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (ends.get(partition).offset() > offset) {
                    behindFrom.put(partition, offset);
                }
            });
            Map<TopicPartition, Instant> oldestUnread = oldestUnread(behindFrom);
            Instant now = clock.instant();
            List<PartitionLag> lags = new ArrayList<>();
            committed.forEach((partition, offset) -> {
                Instant oldest = oldestUnread.get(partition);
                Duration behind = oldest == null ? Duration.ZERO : Duration.between(oldest, now);
                lags.add(new PartitionLag(
                        group,
                        partition,
                        offset,
                        ends.get(partition).offset(),
                        behind.isNegative() ? Duration.ZERO : behind));
            });
            lags.sort(Comparator.comparing((PartitionLag lag) -> lag.partition().topic())
                    .thenComparingInt(lag -> lag.partition().partition()));
            return lags;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading the lag of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot read the lag of " + group + ": " + e.getMessage(), e);
        }
    }

    private Set<TopicPartition> assigned(String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Set.of();
            }
            throw e;
        }
        Set<TopicPartition> assigned = new HashSet<>();
        description
                .members()
                .forEach(member -> assigned.addAll(member.assignment().topicPartitions()));
        return assigned;
    }

    private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(
            Set<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        return admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> spec)),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The timestamp of the first readable record at or after each offset. A transaction marker or an aborted record
     * at the offset is skipped by the read-committed fetch, so the first record returned is the oldest unread one.
     */
    private Map<TopicPartition, Instant> oldestUnread(Map<TopicPartition, Long> from) {
        Map<TopicPartition, Instant> oldest = new HashMap<>();
        if (from.isEmpty()) {
            return oldest;
        }
        peeker.assign(from.keySet());
        from.forEach(peeker::seek);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (oldest.size() < from.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : peeker.poll(Duration.ofMillis(100))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                oldest.putIfAbsent(partition, Instant.ofEpochMilli(record.timestamp()));
                peeker.pause(List.of(partition));
            }
        }
        peeker.assign(List.of());
        return oldest;
    }

    @Override
    public synchronized void close() {
        peeker.close();
        admin.close(Duration.ofSeconds(5));
    }
}
