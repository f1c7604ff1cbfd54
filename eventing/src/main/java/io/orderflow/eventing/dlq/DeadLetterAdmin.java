package io.orderflow.eventing.dlq;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lists, shows, replays and purges the records of the dead-letter topics ({@code <topic>.dlq}).
 *
 * <p>A replay sends a dead letter back to its original topic with its envelope (the same event id), a replay count
 * one higher and the consumer it is for: the topic's other groups pass it by, so a record several groups failed is
 * replayed once per group, each on its own dead letter. What was done to each dead letter is kept
 * in the compacted topic {@value #OUTCOMES_TOPIC}, in the same Kafka transaction as the replay itself: a replay
 * is never recorded without being sent, nor sent twice by a bulk replay. A record that fails again comes back as a
 * new dead letter; once it has been replayed {@code maxReplays} times it is quarantined instead, copied to
 * {@code <topic>.quarantine}, so a poison record cannot go round for ever.
 *
 * <p>Every request is checked whole before anything is sent: an unknown id, a topic that is not a dead-letter topic
 * or a malformed filter changes nothing.
 */
public final class DeadLetterAdmin implements AutoCloseable {

    public static final String OUTCOMES_TOPIC = "orderflow.dlq-outcomes";
    public static final String QUARANTINE_SUFFIX = ".quarantine";
    /** One replayer at a time: a second one with the same id fences the first instead of racing it. */
    static final String TRANSACTIONAL_ID = "orderflow-dlq-admin";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Map<String, Object> producerConfig;
    private KafkaProducer<byte[], byte[]> producer;
    private final int maxReplays;
    private final Clock clock;
    private boolean transactionsReady;

    /**
     * @param kafka      the client settings (bootstrap servers and security)
     * @param maxReplays replays after which a record that fails again is quarantined
     */
    public DeadLetterAdmin(Map<String, Object> kafka, int maxReplays, Clock clock) {
        if (maxReplays < 1) {
            throw new IllegalArgumentException("max replays must be at least 1, not " + maxReplays);
        }
        this.admin = Admin.create(kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "dlq-admin-" + UUID.randomUUID().toString().substring(0, 8));
        // No call of the reader (position, offsets) waits longer than the tools' own timeout.
        consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.reader = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = newProducer();
        this.maxReplays = maxReplays;
        this.clock = clock;
    }

    public int maxReplays() {
        return maxReplays;
    }

    /** Every dead-letter topic of the cluster, by name. */
    public synchronized List<String> deadLetterTopics() {
        return new ArrayList<>(new TreeSet<>(topicNames().stream()
                .filter(name -> name.endsWith(Topic.DEAD_LETTER_SUFFIX)).toList()));
    }

    /** The dead letters the query matches, by topic, partition and offset. */
    public synchronized List<DeadLetter> list(DeadLetterQuery query) {
        List<String> topics = resolve(query.topic());
        Map<String, DeadLetter.Outcome> outcomes = outcomes();
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(partitionsOf(topics))) {
            DeadLetter letter = DeadLetter.of(record, Optional.ofNullable(outcomes.get(
                    DeadLetterId.of(new TopicPartition(record.topic(), record.partition()), record.offset())
                            .toString())));
            if (query.matches(letter)) {
                letters.add(letter);
            }
        }
        letters.sort(Comparator.comparing((DeadLetter letter) -> letter.id().topic())
                .thenComparingInt(letter -> letter.id().partition())
                .thenComparingLong(letter -> letter.id().offset()));
        return letters;
    }

    public synchronized DeadLetter show(DeadLetterId id) {
        return DeadLetter.of(readOne(id), Optional.ofNullable(outcomes().get(id.toString())));
    }

    /** Replays the named dead letters; all are checked first, and none is sent if one of them cannot be found. */
    public synchronized ReplayPlan replay(List<DeadLetterId> ids, boolean dryRun) {
        if (ids.isEmpty()) {
            throw new InvalidDeadLetterRequestException("name at least one dead letter to replay");
        }
        Map<String, DeadLetter.Outcome> outcomes = outcomes();
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
        for (DeadLetterId id : new LinkedHashSet<>(ids)) {
            records.put(id, readOne(id));
        }
        return carryOut(records, outcomes, dryRun);
    }

    /** Replays every pending dead letter the query matches (all of one reason, say). */
    public synchronized ReplayPlan replay(DeadLetterQuery query, boolean dryRun) {
        if (query.status().isPresent() && query.status().get() != DeadLetterStatus.PENDING) {
            throw new InvalidDeadLetterRequestException("only pending dead letters are replayed by a filter; "
                    + "name a " + query.status().get().name().toLowerCase() + " one by its id to see why it is not");
        }
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
        Map<String, DeadLetter.Outcome> outcomes = outcomes();
        for (DeadLetter letter : list(query.withStatus(DeadLetterStatus.PENDING))) {
            records.put(letter.id(), readOne(letter.id()));
        }
        return carryOut(records, outcomes, dryRun);
    }

    /**
     * Deletes every record of a dead-letter topic. Pending dead letters would be lost, so they are refused unless
     * {@code force}; replayed and quarantined ones have a copy elsewhere.
     *
     * @return how many records went
     */
    public synchronized long purge(String topic, boolean force, boolean dryRun) {
        String name = resolve(Optional.of(topic)).get(0);
        List<DeadLetter> letters = list(new DeadLetterQuery(Optional.of(name), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()));
        long pending = letters.stream().filter(letter -> letter.status() == DeadLetterStatus.PENDING).count();
        if (pending > 0 && !force) {
            throw new InvalidDeadLetterRequestException(pending + " dead letter(s) in " + name + " are pending "
                    + "(neither replayed nor quarantined): replay them first, or purge with force to drop them");
        }
        if (dryRun || letters.isEmpty()) {
            return letters.size();
        }
        Map<TopicPartition, Long> ends = new HashMap<>(reader.endOffsets(partitionsOf(List.of(name)), TIMEOUT));
        try {
            admin.deleteRecords(ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    end -> RecordsToDelete.beforeOffset(end.getValue())))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot purge " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while purging " + name, e);
        }
        inTransaction(() -> letters.stream().filter(letter -> letter.outcome().isPresent()).forEach(letter ->
                producer.send(new ProducerRecord<>(OUTCOMES_TOPIC, bytes(letter.id().toString()), null))));
        return letters.size();
    }

    private ReplayPlan carryOut(Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records,
                                Map<String, DeadLetter.Outcome> outcomes, boolean dryRun) {
        List<ReplayPlan.Replay> replays = new ArrayList<>();
        List<DeadLetter> quarantined = new ArrayList<>();
        List<ReplayPlan.Skip> skipped = new ArrayList<>();
        Set<String> topics = topicNames();
        records.forEach((id, record) -> {
            DeadLetter letter = DeadLetter.of(record, Optional.ofNullable(outcomes.get(id.toString())));
            if (letter.status() != DeadLetterStatus.PENDING) {
                DeadLetter.Outcome outcome = letter.outcome().orElseThrow();
                skipped.add(new ReplayPlan.Skip(letter, "already " + outcome.status().name().toLowerCase()
                        + " at " + outcome.at() + " (" + outcome.detail() + ")"));
            } else if (!topics.contains(letter.originalTopic())) {
                throw new InvalidDeadLetterRequestException("the original topic " + letter.originalTopic() + " of "
                        + id + " does not exist; nothing was replayed");
            } else if (letter.replayCount() >= maxReplays) {
                quarantined.add(letter);
            } else {
                replays.add(new ReplayPlan.Replay(letter, letter.originalTopic(), letter.replayCount() + 1));
            }
        });
        ReplayPlan plan = new ReplayPlan(dryRun, replays, quarantined, skipped);
        if (dryRun || (replays.isEmpty() && quarantined.isEmpty())) {
            return plan;
        }
        ensureTopic(OUTCOMES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
        for (DeadLetter letter : quarantined) {
            ensureTopic(letter.originalTopic() + QUARANTINE_SUFFIX, partitionsOf(List.of(letter.id().topic())).size(),
                    Map.of("retention.ms", "-1"));
        }
        String now = clock.instant().toString();
        inTransaction(() -> {
            for (ReplayPlan.Replay replay : replays) {
                ConsumerRecord<byte[], byte[]> dead = records.get(replay.letter().id());
                ProducerRecord<byte[], byte[]> back = new ProducerRecord<>(replay.toTopic(), dead.key(), dead.value());
                DeadLetter.copyForReplay(dead.headers(), back.headers());
                back.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes(String.valueOf(replay.replayCount())));
                back.headers().add(DeadLetterHeaders.REPLAYED_FROM, bytes(replay.letter().id().toString()));
                if (!replay.letter().consumer().isEmpty()) {
                    back.headers().add(DeadLetterHeaders.REPLAY_FOR, bytes(replay.letter().consumer()));
                }
                producer.send(back);
                record(replay.letter().id(), new DeadLetter.Outcome(DeadLetterStatus.REPLAYED, clock.instant(),
                        "to " + replay.toTopic() + " as replay " + replay.replayCount()));
            }
            for (DeadLetter letter : quarantined) {
                ConsumerRecord<byte[], byte[]> dead = records.get(letter.id());
                String quarantine = letter.originalTopic() + QUARANTINE_SUFFIX;
                ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(quarantine, dead.key(), dead.value());
                dead.headers().forEach(header -> copy.headers().add(header));
                copy.headers().add("dlq-quarantined-from", bytes(letter.id().toString()));
                copy.headers().add("dlq-quarantined-at", bytes(now));
                producer.send(copy);
                record(letter.id(), new DeadLetter.Outcome(DeadLetterStatus.QUARANTINED, clock.instant(),
                        "failed again after " + letter.replayCount() + " replays; copied to " + quarantine));
            }
        });
        return plan;
    }

    private void record(DeadLetterId id, DeadLetter.Outcome outcome) {
        producer.send(new ProducerRecord<>(OUTCOMES_TOPIC, bytes(id.toString()), outcome.toBytes()));
    }

    /**
     * Runs the sends in one Kafka transaction. Another replayer (the CLI beside the dashboard, say) that started
     * since fenced this one's producer: its transaction was aborted, nothing of it is visible, so it is run once more
     * with a new producer, which fences the other in turn.
     */
    private void inTransaction(Runnable sends) {
        try {
            inOneTransaction(sends);
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            producer.close(Duration.ZERO);
            producer = newProducer();
            transactionsReady = false;
            inOneTransaction(sends);
        }
    }

    private void inOneTransaction(Runnable sends) {
        if (!transactionsReady) {
            producer.initTransactions();
            transactionsReady = true;
        }
        producer.beginTransaction();
        try {
            sends.run();
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            throw fenced;
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The dead-letter topics a filter names (a topic or its dead-letter topic), or all of them. */
    private List<String> resolve(Optional<String> topic) {
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

    private ConsumerRecord<byte[], byte[]> readOne(DeadLetterId id) {
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

    private List<ConsumerRecord<byte[], byte[]>> readAll(Set<TopicPartition> partitions) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        if (partitions.isEmpty()) {
            return records;
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (partitions.stream().anyMatch(partition -> reader.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + partitions + " took longer than " + TIMEOUT);
                }
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        } finally {
            reader.assign(List.of());
        }
    }

    private Map<String, DeadLetter.Outcome> outcomes() {
        Map<String, DeadLetter.Outcome> outcomes = new HashMap<>();
        if (!topicNames().contains(OUTCOMES_TOPIC)) {
            return outcomes;
        }
        for (ConsumerRecord<byte[], byte[]> record : readAll(partitionsOf(List.of(OUTCOMES_TOPIC)))) {
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

    private Set<TopicPartition> partitionsOf(List<String> topics) {
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

    private Set<String> topicNames() {
        return await(admin.listTopics().names(), "listing topics");
    }

    private void ensureTopic(String name, int partitions, Map<String, String> configs) {
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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        reader.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
