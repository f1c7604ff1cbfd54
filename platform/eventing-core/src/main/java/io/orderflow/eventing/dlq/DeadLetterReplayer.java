package io.orderflow.eventing.dlq;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The sending side of the dead-letter tools: replays, quarantine copies and outcomes, each batch in one Kafka
 * transaction under the one transactional id every replayer shares.
 */
final class DeadLetterReplayer implements AutoCloseable {

    /** One replayer at a time: a second one with the same id fences the first instead of racing it. */
    static final String TRANSACTIONAL_ID = "orderflow-dlq-admin";
    /** Replayers fencing each other in turn without end would be a bug; this many attempts is plenty. */
    private static final int MAX_ATTEMPTS = 5;

    private final DeadLetterTopics broker;
    private final Map<String, Object> producerConfig;
    private final int maxReplays;
    private final Clock clock;
    private final DeadLetterHooks hooks;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean transactionsReady;

    DeadLetterReplayer(
            DeadLetterTopics broker, Map<String, Object> kafka, int maxReplays, Clock clock, DeadLetterHooks hooks) {
        this.broker = broker;
        this.producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.maxReplays = maxReplays;
        this.clock = clock;
        this.hooks = hooks;
        this.producer = newProducer();
    }

    /**
     * Decides what to do with each record and does it, at most once per dead letter whatever other replayers do.
     * Every replayer shares one transactional id, so the decision is taken on outcomes read while this replayer holds
     * the id: another one that took it since fenced this one, its sends are aborted, and the decision is taken once
     * more on the outcomes as they are now, which include what the other one committed.
     */
    ReplayPlan carryOut(
            Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records, DeadLetterOutcomes outcomes, boolean dryRun) {
        hooks.replaying(records.size());
        if (dryRun) {
            broker.catchUp(outcomes);
            return decide(records, outcomes, true);
        }
        for (int attempt = 1; ; attempt++) {
            holdTransactionalId();
            broker.catchUp(outcomes);
            ReplayPlan plan = decide(records, outcomes, false);
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

    private ReplayPlan decide(
            Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records, DeadLetterOutcomes outcomes, boolean dryRun) {
        List<ReplayPlan.Replay> replays = new ArrayList<>();
        List<DeadLetter> quarantined = new ArrayList<>();
        List<ReplayPlan.Skip> skipped = new ArrayList<>();
        Set<String> topics = broker.topicNames();
        records.forEach((id, record) -> {
            DeadLetter letter = DeadLetter.of(record, outcomes.of(id));
            if (letter.status() != DeadLetterStatus.PENDING) {
                DeadLetter.Outcome outcome = letter.outcome().orElseThrow();
                skipped.add(new ReplayPlan.Skip(
                        letter,
                        "already " + outcome.status().name().toLowerCase() + " at " + outcome.at() + " ("
                                + outcome.detail() + ")"));
            } else if (!topics.contains(letter.originalTopic())) {
                throw new InvalidDeadLetterRequestException("the original topic " + letter.originalTopic() + " of " + id
                        + " does not exist; nothing was replayed");
            } else if (letter.replayCount() >= maxReplays) {
                quarantined.add(letter);
            } else {
                replays.add(new ReplayPlan.Replay(letter, letter.originalTopic(), letter.replayCount() + 1));
            }
        });
        return new ReplayPlan(dryRun, replays, quarantined, skipped);
    }

    private void createTopicsFor(ReplayPlan plan) {
        broker.ensureTopic(DeadLetterAdmin.OUTCOMES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
        for (DeadLetter letter : plan.quarantined()) {
            broker.ensureTopic(
                    letter.originalTopic() + DeadLetterAdmin.QUARANTINE_SUFFIX,
                    broker.partitionsOf(List.of(letter.id().topic())).size(),
                    Map.of("retention.ms", "-1"));
        }
    }

    private void send(ReplayPlan plan, Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records) {
        String now = clock.instant().toString();
        for (ReplayPlan.Replay replay : plan.replayed()) {
            ConsumerRecord<byte[], byte[]> dead = records.get(replay.letter().id());
            ProducerRecord<byte[], byte[]> back = new ProducerRecord<>(replay.toTopic(), dead.key(), dead.value());
            DeadLetter.copyForReplay(dead.headers(), back.headers());
            back.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes(String.valueOf(replay.replayCount())));
            back.headers()
                    .add(
                            DeadLetterHeaders.REPLAYED_FROM,
                            bytes(replay.letter().id().toString()));
            if (!replay.letter().consumer().isEmpty()) {
                back.headers()
                        .add(DeadLetterHeaders.REPLAY_FOR, bytes(replay.letter().consumer()));
            }
            producer.send(back);
            record(
                    replay.letter().id(),
                    new DeadLetter.Outcome(
                            DeadLetterStatus.REPLAYED,
                            clock.instant(),
                            "to " + replay.toTopic() + " as replay " + replay.replayCount()));
        }
        for (DeadLetter letter : plan.quarantined()) {
            ConsumerRecord<byte[], byte[]> dead = records.get(letter.id());
            String quarantine = letter.originalTopic() + DeadLetterAdmin.QUARANTINE_SUFFIX;
            ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(quarantine, dead.key(), dead.value());
            dead.headers().forEach(header -> copy.headers().add(header));
            copy.headers().add("dlq-quarantined-from", bytes(letter.id().toString()));
            copy.headers().add("dlq-quarantined-at", bytes(now));
            producer.send(copy);
            record(
                    letter.id(),
                    new DeadLetter.Outcome(
                            DeadLetterStatus.QUARANTINED,
                            clock.instant(),
                            "failed again after " + letter.replayCount() + " replays; copied to " + quarantine));
        }
    }

    private void record(DeadLetterId id, DeadLetter.Outcome outcome) {
        producer.send(new ProducerRecord<>(DeadLetterAdmin.OUTCOMES_TOPIC, bytes(id.toString()), outcome.toBytes()));
    }

    /** Forgets the outcome of a dead letter that is gone: sent inside {@link #inTransaction}. */
    void forget(DeadLetterId id) {
        producer.send(new ProducerRecord<>(DeadLetterAdmin.OUTCOMES_TOPIC, bytes(id.toString()), null));
    }

    /**
     * Runs sends whose effect does not depend on what other replayers did (a purge's tombstones) in one Kafka
     * transaction, once more with a new producer if another replayer fenced this one: nothing of the fenced
     * transaction is visible.
     */
    void inTransaction(Runnable sends) {
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
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
