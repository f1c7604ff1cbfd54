package io.orderflow.eventing.dlq;

import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The broker side of the dead-letter tools: which dead-letter topics there are, their records (read committed, a
 * chunk at a time, never a whole topic at once), and the topics the tools create. A read goes on as long as it makes
 * progress, however big the topic; it gives up, with a {@link KafkaException} that says what it was doing, once
 * the broker has let it wait {@link #TIMEOUT}.
 */
final class DeadLetterTopics implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Comparator<TopicPartition> IN_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final TopicSettings settings;
    private final Clock clock;
    private final DeadLetterHooks hooks;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;

    /** @param chunk the most records one poll of the reader holds */
    DeadLetterTopics(Map<String, Object> kafka, TopicSettings settings, Clock clock, DeadLetterHooks hooks, int chunk) {
        this.settings = settings;
        this.clock = clock;
        this.hooks = hooks;
        this.admin = Admin.create(kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A read from an offset purged meanwhile starts at the partition's start, not its end.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "dlq-admin-" + UUID.randomUUID().toString().substring(0, 8));
        // No call of the reader (position, offsets) waits longer than the tools' own timeout.
        consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, chunk);
        // It reads what is there and waits for nothing new: a fetch left waiting at the broker for more would delay
        // the read of the next partition by that long.
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.reader = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every dead-letter topic of the cluster, by name. */
    List<String> deadLetterTopics() {
        return new ArrayList<>(new TreeSet<>(topicNames().stream()
                .filter(name -> name.endsWith(Topic.DEAD_LETTER_SUFFIX))
                .toList()));
    }

    /**
     * Where each partition ends now, as a read-committed reader sees it (what a read up to there will check), in
     * order of topic and partition.
     */
    Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        if (!partitions.isEmpty()) {
            Map<TopicPartition, Long> read = reader.endOffsets(partitions, TIMEOUT);
            partitions.stream().sorted(IN_ORDER).forEach(partition -> ends.put(partition, read.get(partition)));
        }
        return ends;
    }

    /** Deletes the records before the given offsets, and none written after them. */
    void deleteBefore(Map<TopicPartition, Long> ends) {
        await(
                admin.deleteRecords(ends.entrySet().stream()
                                .collect(Collectors.toMap(
                                        Map.Entry::getKey, end -> RecordsToDelete.beforeOffset(end.getValue()))))
                        .all(),
                "purging " + ends.keySet());
    }

    /** The dead-letter topics a filter names (a topic or its dead-letter topic), or all of them. */
    List<String> resolve(Optional<String> topic) {
        List<String> all = deadLetterTopics();
        if (topic.isEmpty()) {
            return all;
        }
        String name =
                topic.get().endsWith(Topic.DEAD_LETTER_SUFFIX) ? topic.get() : topic.get() + Topic.DEAD_LETTER_SUFFIX;
        if (!all.contains(name)) {
            throw new InvalidDeadLetterRequestException("there is no dead-letter topic " + name
                    + (all.isEmpty() ? " (there is none yet)" : "; there are: " + String.join(", ", all)));
        }
        return List.of(name);
    }

    ConsumerRecord<byte[], byte[]> readOne(DeadLetterId id) {
        resolve(Optional.of(id.topic()));
        if (!partitionsOf(List.of(id.topic())).contains(id.topicPartition())) {
            throw new NoSuchDeadLetterException(
                    "no dead letter " + id + ": " + id.topic() + " has no partition " + id.partition());
        }
        TopicPartition partition = id.topicPartition();
        long start = reader.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
        long end = reader.endOffsets(List.of(partition), TIMEOUT).get(partition);
        if (id.offset() < start) {
            throw new NoSuchDeadLetterException(
                    "no dead letter " + id + ": purged (the partition starts at " + start + ")");
        }
        if (id.offset() >= end) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": the partition ends at offset " + end);
        }
        List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>(1);
        read(partition, id.offset(), end, record -> !first.add(record));
        if (first.isEmpty()) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": the offset holds no record");
        }
        if (first.get(0).offset() != id.offset()) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": the offset holds no record "
                    + "(a transaction marker); the next record is at "
                    + first.get(0).offset());
        }
        return first.get(0);
    }

    /**
     * Hands each record of a partition from {@code from} to before {@code end} to {@code each}, in order, a chunk at
     * a time, until {@code each} answers false.
     *
     * @return false when {@code each} stopped the read
     */
    boolean read(TopicPartition partition, long from, long end, Predicate<ConsumerRecord<byte[], byte[]>> each) {
        if (from >= end) {
            return true;
        }
        reader.assign(List.of(partition));
        reader.seek(partition, from);
        try {
            long position = reader.position(partition);
            Instant progressedAt = clock.instant();
            while (position < end) {
                ConsumerRecords<byte[], byte[]> chunk = reader.poll(POLL);
                if (!chunk.isEmpty()) {
                    hooks.chunkRead(chunk.count());
                }
                for (ConsumerRecord<byte[], byte[]> record : chunk) {
                    if (record.offset() >= end) {
                        return true;
                    }
                    if (!each.test(record)) {
                        return false;
                    }
                }
                long now = reader.position(partition);
                if (now > position) {
                    position = now;
                    progressedAt = clock.instant();
                } else if (Duration.between(progressedAt, clock.instant()).compareTo(TIMEOUT) > 0) {
                    throw new KafkaException("reading " + partition + " got no record for " + TIMEOUT + " (at offset "
                            + position + ", the end is at " + end + ")");
                }
            }
            return true;
        } finally {
            reader.assign(List.of());
        }
    }

    /** What was done to the dead letters of these topics, read as far as it has been written. */
    DeadLetterOutcomes outcomes(Collection<String> deadLetterTopics) {
        DeadLetterOutcomes outcomes = new DeadLetterOutcomes(deadLetterTopics);
        catchUp(outcomes);
        return outcomes;
    }

    /** Reads the outcomes written since {@code outcomes} was last brought up to date. */
    void catchUp(DeadLetterOutcomes outcomes) {
        if (!topicNames().contains(DeadLetterAdmin.OUTCOMES_TOPIC)) {
            return;
        }
        ends(partitionsOf(List.of(DeadLetterAdmin.OUTCOMES_TOPIC))).forEach((partition, end) -> {
            read(partition, outcomes.readUpTo(partition), end, record -> {
                outcomes.add(record);
                return true;
            });
            outcomes.readTo(partition, end);
        });
    }

    /** The partitions of the topics, in order of topic and partition. */
    List<TopicPartition> partitionsOf(List<String> topics) {
        if (topics.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(topics).allTopicNames(), "describing " + topics);
        List<TopicPartition> partitions = new ArrayList<>();
        descriptions
                .values()
                .forEach(description -> description
                        .partitions()
                        .forEach(partition ->
                                partitions.add(new TopicPartition(description.name(), partition.partition()))));
        partitions.sort(IN_ORDER);
        return partitions;
    }

    Set<String> topicNames() {
        return await(admin.listTopics().names(), "listing topics");
    }

    /**
     * Creates a topic unless it exists, replicated as configured; a setting below 1 (Kafka's -1) leaves that one to
     * the broker's default.
     */
    void ensureTopic(String name, int partitions, Map<String, String> configs) {
        Map<String, String> replicated = new HashMap<>(configs);
        if (settings.minInsyncReplicas() > 0) {
            replicated.put("min.insync.replicas", String.valueOf(settings.minInsyncReplicas()));
        }
        Optional<Short> replicas =
                settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty();
        NewTopic topic = new NewTopic(name, Optional.of(partitions), replicas).configs(replicated);
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException(
                        "cannot create " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new KafkaException("cannot create " + name + " within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating " + name, e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while " + what, e);
        }
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
