package io.orderflow.eventing.dlq;

import io.orderflow.eventing.topic.TopicSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Lists, shows, replays and purges the records of the dead-letter topics ({@code <topic>.dlq}).
 *
 * <p>A replay sends a dead letter back to its original topic with its envelope (the same event id), a replay count
 * one higher and the consumer it is for: the topic's other groups pass it by, so a record several groups failed is
 * replayed once per group, each on its own dead letter. What was done to each dead letter is kept
 * in the compacted topic {@value #OUTCOMES_TOPIC}, in the same Kafka transaction as the replay itself: a replay
 * is never recorded without being sent, nor sent twice, whatever other replayers do. A record that fails again comes
 * back as a new dead letter; once it has been replayed {@code maxReplays} times it is quarantined instead, copied to
 * {@code <topic>.quarantine}, so a poison record cannot go round for ever.
 *
 * <p>Topics are read a chunk at a time and never held whole: a listing is a page, a replay by filter goes a chunk at
 * a time. Every request is checked whole before anything is sent: an unknown id, a topic that is not a dead-letter
 * topic or a malformed filter changes nothing.
 */
public final class DeadLetterAdmin implements AutoCloseable {

    public static final String OUTCOMES_TOPIC = "orderflow.dlq-outcomes";
    public static final String QUARANTINE_SUFFIX = ".quarantine";
    /** The most dead letters a page may hold. */
    public static final int MAX_PAGE = 1000;

    private static final int CHUNK = 500;

    private final DeadLetterTopics broker;
    private final DeadLetterReplayer replayer;
    private final int maxReplays;
    private final int chunk;
    private final DeadLetterHooks hooks;

    /**
     * @param kafka      the client settings (bootstrap servers and security)
     * @param topics     the replication of the topics the tools create (outcomes, quarantine)
     * @param maxReplays replays after which a record that fails again is quarantined
     */
    public DeadLetterAdmin(Map<String, Object> kafka, TopicSettings topics, int maxReplays, Clock clock) {
        this(kafka, topics, maxReplays, clock, DeadLetterHooks.NONE, CHUNK);
    }

    /** @param chunk how many records a read or a replay holds at once */
    DeadLetterAdmin(
            Map<String, Object> kafka,
            TopicSettings topics,
            int maxReplays,
            Clock clock,
            DeadLetterHooks hooks,
            int chunk) {
        if (maxReplays < 1) {
            throw new IllegalArgumentException("max replays must be at least 1, not " + maxReplays);
        }
        this.broker = new DeadLetterTopics(kafka, topics, clock, hooks, chunk);
        this.replayer = new DeadLetterReplayer(broker, kafka, maxReplays, clock, hooks);
        this.maxReplays = maxReplays;
        this.chunk = chunk;
        this.hooks = hooks;
    }

    public int maxReplays() {
        return maxReplays;
    }

    /** Every dead-letter topic of the cluster, by name. */
    public synchronized List<String> deadLetterTopics() {
        return broker.deadLetterTopics();
    }

    /**
     * A page of the dead letters the query matches, in order of topic, partition and offset.
     *
     * @param after where the page starts: after this dead letter (the previous page's {@code next}), or at the start
     * @param limit the most dead letters on the page, 1 to {@value #MAX_PAGE}
     */
    public synchronized DeadLetterPage list(DeadLetterQuery query, Optional<DeadLetterId> after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidDeadLetterRequestException(
                    "a page holds 1 to " + MAX_PAGE + " dead letters, not " + limit);
        }
        List<DeadLetter> letters = new ArrayList<>();
        // One more than the page, to know whether there is a next page.
        scan(query, after, found -> {
            letters.add(found.letter());
            return letters.size() <= limit;
        });
        if (letters.size() <= limit) {
            return new DeadLetterPage(letters, Optional.empty());
        }
        List<DeadLetter> page = letters.subList(0, limit);
        return new DeadLetterPage(page, Optional.of(page.get(limit - 1).id()));
    }

    /** How many dead letters there are of each status, and the newest ones, from one pass over every topic. */
    public synchronized DeadLetterSummary summarize(int newest) {
        Map<DeadLetterStatus, Long> counts = new EnumMap<>(DeadLetterStatus.class);
        PriorityQueue<DeadLetter> kept = new PriorityQueue<>(Comparator.comparing(DeadLetter::writtenAt));
        scan(DeadLetterQuery.ALL, Optional.empty(), found -> {
            counts.merge(found.letter().status(), 1L, Long::sum);
            kept.add(found.letter().withoutValue());
            if (kept.size() > newest) {
                kept.poll();
            }
            return true;
        });
        return new DeadLetterSummary(
                counts,
                kept.stream()
                        .sorted(Comparator.comparing(DeadLetter::writtenAt).reversed())
                        .toList());
    }

    /** Each record the query matches, in order, from after the cursor to the topics' ends as they are now. */
    private void scan(DeadLetterQuery query, Optional<DeadLetterId> after, Predicate<Found> each) {
        List<String> topics = broker.resolve(query.topic());
        scan(query, after, broker.ends(broker.partitionsOf(topics)), broker.outcomes(topics), each);
    }

    private void scan(
            DeadLetterQuery query,
            Optional<DeadLetterId> after,
            Map<TopicPartition, Long> ends,
            DeadLetterOutcomes outcomes,
            Predicate<Found> each) {
        for (Map.Entry<TopicPartition, Long> partition : ends.entrySet()) {
            long from =
                    after.map(cursor -> startAfter(cursor, partition.getKey())).orElse(0L);
            boolean goOn = broker.read(partition.getKey(), from, partition.getValue(), record -> {
                DeadLetter letter = DeadLetter.of(record, outcomes.of(idOf(record)));
                return !query.matches(letter) || each.test(new Found(letter, record));
            });
            if (!goOn) {
                return;
            }
        }
    }

    /** Where a partition's records start for a page after the cursor: partitions before it are done already. */
    private static long startAfter(DeadLetterId cursor, TopicPartition partition) {
        int topicOrder = partition.topic().compareTo(cursor.topic());
        if (topicOrder < 0 || topicOrder == 0 && partition.partition() < cursor.partition()) {
            return Long.MAX_VALUE;
        }
        return partition.equals(cursor.topicPartition()) ? cursor.offset() + 1 : 0;
    }

    private record Found(DeadLetter letter, ConsumerRecord<byte[], byte[]> record) {}

    public synchronized DeadLetter show(DeadLetterId id) {
        ConsumerRecord<byte[], byte[]> record = broker.readOne(id);
        return DeadLetter.of(record, broker.outcomes(List.of(id.topic())).of(id));
    }

    /**
     * Replays what a request names, the command line's or the REST API's: dead letters by id, or every pending one a
     * filter matches, or with {@code all} every pending one; exactly one of the three.
     *
     * @param eachBatch told what was done to each batch as soon as it is done: a replay by filter goes a chunk at
     *                  a time, and only the totals are kept
     */
    public synchronized ReplayPlan.Totals replay(
            List<DeadLetterId> ids,
            DeadLetterQuery filter,
            boolean all,
            boolean dryRun,
            Consumer<ReplayPlan> eachBatch) {
        boolean filtered = !filter.equals(DeadLetterQuery.ALL);
        if (!ids.isEmpty() && filtered) {
            throw new InvalidDeadLetterRequestException("give ids or a filter, not both");
        }
        if (ids.isEmpty() && !filtered && !all) {
            throw new InvalidDeadLetterRequestException(
                    "name the dead letters to replay: ids, a filter (topic, " + "reason, consumer, key), or all");
        }
        if (ids.isEmpty()) {
            return replay(filter, dryRun, eachBatch);
        }
        ReplayPlan plan = replay(ids, dryRun);
        eachBatch.accept(plan);
        return ReplayPlan.Totals.NONE.plus(plan);
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
        return replayer.carryOut(
                records,
                broker.outcomes(ids.stream().map(DeadLetterId::topic).distinct().toList()),
                dryRun);
    }

    /**
     * Replays every pending dead letter the query matches (all of one reason, say), a chunk at a time, each chunk in
     * one transaction. Only dead letters written before the replay began are replayed: one that failed again
     * meanwhile is a new dead letter, for another request.
     */
    public synchronized ReplayPlan.Totals replay(
            DeadLetterQuery query, boolean dryRun, Consumer<ReplayPlan> eachChunk) {
        if (query.status().isPresent() && query.status().get() != DeadLetterStatus.PENDING) {
            throw new InvalidDeadLetterRequestException("only pending dead letters are replayed by a filter; "
                    + "name a " + query.status().get().name().toLowerCase() + " one by its id to see why it is not");
        }
        DeadLetterQuery pending = query.withStatus(DeadLetterStatus.PENDING);
        List<String> topics = broker.resolve(query.topic());
        Map<TopicPartition, Long> ends = broker.ends(broker.partitionsOf(topics));
        DeadLetterOutcomes outcomes = broker.outcomes(topics);
        ReplayPlan.Totals totals = ReplayPlan.Totals.NONE;
        Optional<DeadLetterId> after = Optional.empty();
        while (true) {
            Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
            scan(pending, after, ends, outcomes, found -> {
                records.put(found.letter().id(), found.record());
                return records.size() < chunk;
            });
            if (records.isEmpty()) {
                return totals;
            }
            ReplayPlan plan = replayer.carryOut(records, outcomes, dryRun);
            eachChunk.accept(plan);
            totals = totals.plus(plan);
            if (records.size() < chunk) {
                return totals;
            }
            after = Optional.of(List.copyOf(records.keySet()).get(records.size() - 1));
        }
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
        DeadLetterOutcomes outcomes = broker.outcomes(List.of(name));
        Map<DeadLetterStatus, Long> checked = new EnumMap<>(DeadLetterStatus.class);
        scan(DeadLetterQuery.ALL, Optional.empty(), ends, outcomes, found -> {
            checked.merge(found.letter().status(), 1L, Long::sum);
            return true;
        });
        long pending = checked.getOrDefault(DeadLetterStatus.PENDING, 0L);
        long total = checked.values().stream().mapToLong(Long::longValue).sum();
        if (pending > 0 && !force) {
            throw new InvalidDeadLetterRequestException(pending + " dead letter(s) in " + name + " are pending "
                    + "(neither replayed nor quarantined): replay them first, or purge with force to drop them");
        }
        if (dryRun || total == 0) {
            return total;
        }
        hooks.purgeChecked(name);
        broker.deleteBefore(ends);
        replayer.inTransaction(() ->
                ends.forEach((partition, end) -> outcomes.below(partition, end).forEach(replayer::forget)));
        return total;
    }

    private static DeadLetterId idOf(ConsumerRecord<byte[], byte[]> record) {
        return DeadLetterId.of(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    @Override
    public synchronized void close() {
        replayer.close();
        broker.close();
    }
}
