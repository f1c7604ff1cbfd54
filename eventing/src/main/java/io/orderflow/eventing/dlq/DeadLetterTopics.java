package io.orderflow.eventing.dlq;

import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The broker side of the dead-letter tools: which dead-letter topics there are, their records (read committed,
 * one by offset or all of them), the outcomes recorded so far, and the topics the tools create. Every call gives up
 * after {@link #TIMEOUT}, with a {@link KafkaException} that says what it was doing.
 */
final class DeadLetterTopics implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;

    DeadLetterTopics(Map<String, Object> kafka) {
        this.admin = Admin.create(kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "dlq-admin-" + UUID.randomUUID().toString().substring(0, 8));
        // No call of the reader (position, offsets) waits longer than the tools' own timeout.
        consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.reader = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every dead-letter topic of the cluster, by name. */
    List<String> deadLetterTopics() {
        return new ArrayList<>(new TreeSet<>(topicNames().stream()
                .filter(name -> name.endsWith(Topic.DEAD_LETTER_SUFFIX)).toList()));
    }

    /** Where each partition ends now, as a read-committed reader sees it: what a read up to them will check. */
    Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
        return partitions.isEmpty() ? Map.of() : Map.copyOf(reader.endOffsets(partitions, TIMEOUT));
    }

    /** Deletes the records before the given offsets, and none written after them. */
    void deleteBefore(Map<TopicPartition, Long> ends) {
        await(admin.deleteRecords(ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                end -> RecordsToDelete.beforeOffset(end.getValue())))).all(), "purging " + ends.keySet());
    }

    /** The dead-letter topics a filter names (a topic or its dead-letter topic), or all of them. */
    List<String> resolve(Optional<String> topic) {
        List<String> all = deadLetterTopics();
        if (topic.isEmpty()) {
            return all;
        }
        String name = topic.get().endsWith(Topic.DEAD_LETTER_SUFFIX) ? topic.get()
                : topic.get() + Topic.DEAD_LETTER_SUFFIX;
        if (!all.contains(name)) {
            throw new InvalidDeadLetterRequestException("there is no dead-letter topic " + name
                    + (all.isEmpty() ? " (there is none yet)" : "; there are: " + String.join(", ", all)));
        }
        return List.of(name);
    }

    ConsumerRecord<byte[], byte[]> readOne(DeadLetterId id) {
        resolve(Optional.of(id.topic()));
        if (!partitionsOf(List.of(id.topic())).contains(id.topicPartition())) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": " + id.topic() + " has no partition "
                    + id.partition());
        }
        TopicPartition partition = id.topicPartition();
        long start = reader.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
        long end = reader.endOffsets(List.of(partition), TIMEOUT).get(partition);
        if (id.offset() < start) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": purged (the partition starts at "
                    + start + ")");
        }
        if (id.offset() >= end) {
            throw new NoSuchDeadLetterException("no dead letter " + id + ": the partition ends at offset " + end);
        }
        reader.assign(List.of(partition));
        reader.seek(partition, id.offset());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.offset() == id.offset()) {
                        return record;
                    }
                    throw new NoSuchDeadLetterException("no dead letter " + id + ": the offset holds no record "
                            + "(a transaction marker); the next record is at " + record.offset());
                }
                if (reader.position(partition) > id.offset()) {
                    throw new NoSuchDeadLetterException("no dead letter " + id + ": the offset holds no record");
                }
            }
            throw new KafkaException("reading " + id + " took longer than " + TIMEOUT);
        } finally {
            reader.assign(List.of());
        }
    }

    List<ConsumerRecord<byte[], byte[]>> readAll(Set<TopicPartition> partitions) {
        return readBelow(ends(partitions));
    }

    /** Every record of the partitions below the given offsets. */
    List<ConsumerRecord<byte[], byte[]>> readBelow(Map<TopicPartition, Long> ends) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<TopicPartition> partitions = ends.keySet();
        if (partitions.isEmpty()) {
            return records;
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (partitions.stream().anyMatch(partition -> reader.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + partitions + " took longer than " + TIMEOUT);
                }
                reader.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                });
            }
            return records;
        } finally {
            reader.assign(List.of());
        }
    }

    Map<String, DeadLetter.Outcome> outcomes() {
        Map<String, DeadLetter.Outcome> outcomes = new HashMap<>();
        if (!topicNames().contains(DeadLetterAdmin.OUTCOMES_TOPIC)) {
            return outcomes;
        }
        for (ConsumerRecord<byte[], byte[]> record : readAll(partitionsOf(List.of(DeadLetterAdmin.OUTCOMES_TOPIC)))) {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            Optional<DeadLetter.Outcome> outcome = DeadLetter.Outcome.fromBytes(record.value());
            if (outcome.isPresent()) {
                outcomes.put(id, outcome.get());
            } else {
                outcomes.remove(id);
            }
        }
        return outcomes;
    }

    Set<TopicPartition> partitionsOf(List<String> topics) {
        if (topics.isEmpty()) {
            return Set.of();
        }
        Map<String, TopicDescription> descriptions = await(admin.describeTopics(topics).allTopicNames(),
                "describing " + topics);
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        descriptions.values().forEach(description -> description.partitions().forEach(partition ->
                partitions.add(new TopicPartition(description.name(), partition.partition()))));
        return partitions;
    }

    Set<String> topicNames() {
        return await(admin.listTopics().names(), "listing topics");
    }

    void ensureTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())
                    .configs(configs))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create " + name + ": " + e.getCause().getMessage(), e);
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
