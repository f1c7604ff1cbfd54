package io.orderflow.eventing.dlq;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
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
    /** Replayers fencing each other in turn without end would be a bug; this many attempts is plenty. */
    private static final int MAX_ATTEMPTS = 5;

    private final DeadLetterTopics broker;
    private final Map<String, Object> producerConfig;
    private KafkaProducer<byte[], byte[]> producer;
    private final int maxReplays;
    private final Clock clock;
    private final DeadLetterHooks hooks;
    private boolean transactionsReady;

    /**
     * @param kafka      the client settings (bootstrap servers and security)
     * @param maxReplays replays after which a record that fails again is quarantined
     */
    public DeadLetterAdmin(Map<String, Object> kafka, int maxReplays, Clock clock) {
        this(kafka, maxReplays, clock, DeadLetterHooks.NONE);
    }

    DeadLetterAdmin(Map<String, Object> kafka, int maxReplays, Clock clock, DeadLetterHooks hooks) {
        if (maxReplays < 1) {
            throw new IllegalArgumentException("max replays must be at least 1, not " + maxReplays);
        }
        this.broker = new DeadLetterTopics(kafka);
        this.producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = newProducer();
        this.maxReplays = maxReplays;
        this.clock = clock;
        this.hooks = hooks;
    }

    public int maxReplays() {
        return maxReplays;
    }

    /** Every dead-letter topic of the cluster, by name. */
    public synchronized List<String> deadLetterTopics() {
        return broker.deadLetterTopics();
    }

    /** The dead letters the query matches, by topic, partition and offset. */
    public synchronized List<DeadLetter> list(DeadLetterQuery query) {
        return matching(query, broker.outcomes()).stream().map(Found::letter).toList();
    }

    /** One read of the query's topics: each matching record, as read and as a dead letter. */
    private List<Found> matching(DeadLetterQuery query, Map<String, DeadLetter.Outcome> outcomes) {
        List<Found> found = new ArrayList<>();
        List<String> topics = broker.resolve(query.topic());
        for (ConsumerRecord<byte[], byte[]> record : broker.readAll(broker.partitionsOf(topics))) {
            DeadLetter letter = DeadLetter.of(record, Optional.ofNullable(outcomes.get(idOf(record).toString())));
            if (query.matches(letter)) {
                found.add(new Found(letter, record));
            }
        }
        found.sort(Comparator.comparing((Found each) -> each.letter().id().topic())
                .thenComparingInt(each -> each.letter().id().partition())
                .thenComparingLong(each -> each.letter().id().offset()));
        return found;
    }

    private record Found(DeadLetter letter, ConsumerRecord<byte[], byte[]> record) {
    }

    public synchronized DeadLetter show(DeadLetterId id) {
        return DeadLetter.of(broker.readOne(id), Optional.ofNullable(broker.outcomes().get(id.toString())));
    }

    /**
     * Replays what a request names, the command line's or the REST API's: dead letters by id, or every pending one a
     * filter matches, or with {@code all} every pending one; exactly one of the three.
     */
    public synchronized ReplayPlan replay(List<DeadLetterId> ids, DeadLetterQuery filter, boolean all,
                                         boolean dryRun) {
        boolean filtered = !filter.equals(DeadLetterQuery.ALL);
        if (!ids.isEmpty() && filtered) {
            throw new InvalidDeadLetterRequestException("give ids or a filter, not both");
        }
        if (ids.isEmpty() && !filtered && !all) {
            throw new InvalidDeadLetterRequestException("name the dead letters to replay: ids, a filter (topic, "
                    + "reason, consumer, key), or all");
        }
        return ids.isEmpty() ? replay(filter, dryRun) : replay(ids, dryRun);
    }

    /** Replays the named dead letters; all are checked first, and none is sent if one of them cannot be found. */
    public synchronized ReplayPlan replay(List<DeadLetterId> ids, boolean dryRun) {
        if (ids.isEmpty()) {
            throw new InvalidDeadLetterRequestException("name at least one dead letter to replay");
        }
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
        for (DeadLetterId id : new LinkedHashSet<>(ids)) {
            records.put(id, broker.readOne(id));
        }
        return carryOut(records, dryRun);
    }

    /** Replays every pending dead letter the query matches (all of one reason, say). */
    public synchronized ReplayPlan replay(DeadLetterQuery query, boolean dryRun) {
        if (query.status().isPresent() && query.status().get() != DeadLetterStatus.PENDING) {
            throw new InvalidDeadLetterRequestException("only pending dead letters are replayed by a filter; "
                    + "name a " + query.status().get().name().toLowerCase() + " one by its id to see why it is not");
        }
        Map<String, DeadLetter.Outcome> outcomes = broker.outcomes();
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
        for (Found each : matching(query.withStatus(DeadLetterStatus.PENDING), outcomes)) {
            records.put(each.letter().id(), each.record());
        }
        return carryOut(records, dryRun);
    }

    /**
     * Deletes every record of a dead-letter topic that it checked. Pending dead letters would be lost, so they are
     * refused unless {@code force}; replayed and quarantined ones have a copy elsewhere. The partitions' ends are
     * read first and nothing at or after them is checked or deleted: a dead letter written meanwhile stays.
     *
     * @return how many records went
     */
    public synchronized long purge(String topic, boolean force, boolean dryRun) {
        String name = broker.resolve(Optional.of(topic)).get(0);
        Map<TopicPartition, Long> ends = broker.ends(broker.partitionsOf(List.of(name)));
        Map<String, DeadLetter.Outcome> outcomes = broker.outcomes();
        List<DeadLetter> letters = broker.readBelow(ends).stream().map(record -> DeadLetter.of(record,
                Optional.ofNullable(outcomes.get(idOf(record).toString())))).toList();
        long pending = letters.stream().filter(letter -> letter.status() == DeadLetterStatus.PENDING).count();
        if (pending > 0 && !force) {
            throw new InvalidDeadLetterRequestException(pending + " dead letter(s) in " + name + " are pending "
                    + "(neither replayed nor quarantined): replay them first, or purge with force to drop them");
        }
        if (dryRun || letters.isEmpty()) {
            return letters.size();
        }
        hooks.purgeChecked(name);
        broker.deleteBefore(ends);
        inTransaction(() -> letters.stream().filter(letter -> letter.outcome().isPresent()).forEach(letter ->
                producer.send(new ProducerRecord<>(OUTCOMES_TOPIC, bytes(letter.id().toString()), null))));
        return letters.size();
    }

    private static DeadLetterId idOf(ConsumerRecord<byte[], byte[]> record) {
        return DeadLetterId.of(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    /**
     * Decides what to do with each record and does it, at most once per dead letter whatever other replayers do.
     * Every replayer shares one transactional id, so the decision is taken on outcomes read while this replayer holds
     * the id: another one that took it since fenced this one, its sends are aborted, and the decision is taken once
     * more on the outcomes as they are now, which include what the other one committed.
     */
    private ReplayPlan carryOut(Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records, boolean dryRun) {
        if (dryRun) {
            return decide(records, broker.outcomes(), true);
        }
        for (int attempt = 1; ; attempt++) {
            holdTransactionalId();
            ReplayPlan plan = decide(records, broker.outcomes(), false);
            hooks.outcomesRead();
            if (plan.replayed().isEmpty() && plan.quarantined().isEmpty()) {
                return plan;
            }
            createTopicsFor(plan);
            try {
                inOneTransaction(() -> send(plan, records));
                return plan;
            } catch (KafkaException e) {
                if (!fenced(e) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                renewProducer();
            }
        }
    }

    private ReplayPlan decide(Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records,
                              Map<String, DeadLetter.Outcome> outcomes, boolean dryRun) {
        List<ReplayPlan.Replay> replays = new ArrayList<>();
        List<DeadLetter> quarantined = new ArrayList<>();
        List<ReplayPlan.Skip> skipped = new ArrayList<>();
        Set<String> topics = broker.topicNames();
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
        return new ReplayPlan(dryRun, replays, quarantined, skipped);
    }

    private void createTopicsFor(ReplayPlan plan) {
        broker.ensureTopic(OUTCOMES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
        for (DeadLetter letter : plan.quarantined()) {
            broker.ensureTopic(letter.originalTopic() + QUARANTINE_SUFFIX,
                    broker.partitionsOf(List.of(letter.id().topic())).size(), Map.of("retention.ms", "-1"));
        }
    }

    private void send(ReplayPlan plan, Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records) {
        String now = clock.instant().toString();
        for (ReplayPlan.Replay replay : plan.replayed()) {
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
        for (DeadLetter letter : plan.quarantined()) {
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
    }

    private void record(DeadLetterId id, DeadLetter.Outcome outcome) {
        producer.send(new ProducerRecord<>(OUTCOMES_TOPIC, bytes(id.toString()), outcome.toBytes()));
    }

    /**
     * Runs sends whose effect does not depend on what other replayers did (a purge's tombstones) in one Kafka
     * transaction, once more with a new producer if another replayer fenced this one: nothing of the fenced
     * transaction is visible.
     */
    private void inTransaction(Runnable sends) {
        for (int attempt = 1; ; attempt++) {
            holdTransactionalId();
            try {
                inOneTransaction(sends);
                return;
            } catch (KafkaException e) {
                if (!fenced(e) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                renewProducer();
            }
        }
    }

    /** Takes the transactional id, fencing any other replayer that holds it, once per producer. */
    private void holdTransactionalId() {
        if (!transactionsReady) {
            producer.initTransactions();
            transactionsReady = true;
        }
    }

    private void inOneTransaction(Runnable sends) {
        producer.beginTransaction();
        try {
            sends.run();
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (!fenced(e)) {
                producer.abortTransaction();
            }
            throw e;
        }
    }

    /** Another replayer took the transactional id since this producer did; the broker aborted this transaction. */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void renewProducer() {
        producer.close(Duration.ZERO);
        producer = newProducer();
        transactionsReady = false;
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        broker.close();
    }
}
