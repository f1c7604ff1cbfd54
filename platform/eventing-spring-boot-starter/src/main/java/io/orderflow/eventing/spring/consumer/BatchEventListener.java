package io.orderflow.eventing.spring.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderflow.eventing.consumer.ConsumerPositions;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.consumer.PartitionRefusedException;
import io.orderflow.eventing.consumer.RecordFailures;
import io.orderflow.eventing.consumer.StoredPosition;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.inbox.InboxStore;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.tracing.EventTracing;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles a whole poll batch in one database transaction: one inbox insert for all event ids, then every new
 * event's handler, then one commit. When the batch fails, it falls back to one transaction per record to find the
 * failing record; the records before it stay committed and the error handler retries, then dead-letters, that
 * record alone. A poison record stops the batch at its position and goes to the dead-letter topic at once. A record
 * of a partition the consumer refuses ({@link RefusedPartitions}) stops the batch at its position too, and its
 * partition is paused: it waits for an operator.
 */
final class BatchEventListener implements BatchConsumerAwareMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BatchEventListener.class);

    private final EventConsumer consumer;
    private final Map<String, ConsumedTopic> topics;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final InboxStore inbox = new InboxStore();
    private final ConsumerPositions positions = new ConsumerPositions();
    private final SQLStateSQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();
    private final MeterRegistry meters;
    private final EventTracing tracing;
    private final Map<String, Timer> handlerTimes = new ConcurrentHashMap<>();
    private final RecordFailures failures;

    BatchEventListener(
            EventConsumer consumer,
            List<ConsumedTopic> topics,
            DataSource dataSource,
            TransactionTemplate transactions,
            RecordFailures failures,
            MeterRegistry meters,
            EventTracing tracing) {
        this.consumer = consumer;
        this.topics = new HashMap<>();
        topics.forEach(topic -> this.topics.put(topic.name(), topic));
        this.failures = failures;
        this.tracing = tracing;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.meters = meters;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> batch, Consumer<?, ?> kafka) {
        while (true) {
            try {
                applyUpToARefusedPartition(batch, kafka);
                return;
            } catch (PartitionRefusedException refusedInTheBatch) {
                // Found in a batch's transaction, which rolled back. That partition is refused now, so the next
                // round stops at its first record; each round refuses one partition more, so this ends.
            }
        }
    }

    private void applyUpToARefusedPartition(List<ConsumerRecord<String, byte[]>> batch, Consumer<?, ?> kafka) {
        // Decoded records and their events, index by index.
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
        List<IncomingEvent<SpecificRecord>> events = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> record : batch) {
            ConsumedTopic topic = topicOf(record.topic());
            if (topic.refused().isRefused(record.partition())) {
                if (!events.isEmpty()) {
                    applyBatch(records, events);
                }
                throw refusedAt(record, topic, kafka);
            }
            IncomingEvent<SpecificRecord> event;
            try {
                // A replay for the topic's former subscription is this one's: it reads the topic in its place.
                if (DeadLetterHeaders.replayedForAnother(record.headers(), consumer.name())
                        && DeadLetterHeaders.replayedForAnother(record.headers(), topic.recordedAs())) {
                    topic.counters().replaysForOthers().increment();
                    continue;
                }
                event = decode(record, topic);
            } catch (RuntimeException e) {
                // The records before it are handled; the error handler then deals with this record alone.
                if (!events.isEmpty()) {
                    applyBatch(records, events);
                }
                throw undecodable(record, e);
            }
            records.add(record);
            events.add(event);
        }
        if (!events.isEmpty()) {
            applyBatch(records, events);
        }
    }

    /**
     * The failure of one record to decode, for the error handler: an outage (the registry unreachable, refusing us
     * for now or answering nonsense) is retried until it ends; anything else belongs to the record, which can
     * never decode, and goes to the dead-letter topic at once.
     */
    private BatchListenerFailedException undecodable(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        RuntimeException cause = e instanceof PoisonRecordException || DeadLetters.isInfrastructureFailure(e)
                ? e
                : new PoisonRecordException("cannot decode: " + e, e);
        log.warn("Cannot decode {}: {}", where, cause.getMessage());
        failures.failed(record, cause);
        return new BatchListenerFailedException("cannot decode " + where + ": " + cause.getMessage(), cause, record);
    }

    /**
     * A record of a refused partition, for the error handler: it seeks the partition back to this record, so nothing
     * of it is committed, and waits it out as an outage, so nothing of it is dead-lettered. Paused, the partition
     * delivers nothing more until an operator accepted the topic and the consumer was assigned it again.
     */
    private BatchListenerFailedException refusedAt(
            ConsumerRecord<String, byte[]> record, ConsumedTopic topic, Consumer<?, ?> kafka) {
        kafka.pause(List.of(new TopicPartition(record.topic(), record.partition())));
        PartitionRefusedException cause = new PartitionRefusedException(consumer.name() + " refuses " + record.topic()
                + "-" + record.partition() + ": " + topic.refused().reasons().get(record.partition()));
        failures.failed(record, cause);
        return new BatchListenerFailedException(cause.getMessage(), cause, record);
    }

    private ConsumedTopic topicOf(String name) {
        ConsumedTopic topic = topics.get(name);
        if (topic == null) {
            throw new IllegalStateException(consumer.name() + " was handed a record of " + name
                    + ", which it does not read: " + topics.keySet());
        }
        return topic;
    }

    private IncomingEvent<SpecificRecord> decode(ConsumerRecord<String, byte[]> record, ConsumedTopic topic) {
        Envelope envelope = Envelope.readFrom(record.headers());
        if (record.key() == null) {
            throw new PoisonRecordException("record has no key; the key must be the aggregate id");
        }
        SpecificRecord payload = topic.serde().fromBytes(envelope.eventType(), record.value());
        return new IncomingEvent<>(
                envelope, record.key(), payload, record.topic(), record.partition(), record.offset());
    }

    private void applyBatch(List<ConsumerRecord<String, byte[]>> records, List<IncomingEvent<SpecificRecord>> events) {
        if (startsWithKnownFailure(records)) {
            applyOneOrFail(records.get(0), events.get(0));
            if (events.size() > 1) {
                applyBatch(records.subList(1, events.size()), events.subList(1, events.size()));
            }
            return;
        }
        try {
            transactions.executeWithoutResult(status -> applyAll(events));
            return;
        } catch (PartitionRefusedException refusal) {
            throw refusal;
        } catch (RuntimeException batchFailure) {
            events.stream()
                    .map(IncomingEvent::topic)
                    .distinct()
                    .forEach(topic -> topicOf(topic).counters().fallbacks().increment());
            log.debug("Batch of {} failed ({}); isolating the failing record", events.size(), batchFailure.toString());
        }
        for (int i = 0; i < events.size(); i++) {
            applyOneOrFail(records.get(i), events.get(i));
        }
    }

    /** One record in its own transaction; a failure stops the batch there, judged, for the error handler. */
    private void applyOneOrFail(ConsumerRecord<String, byte[]> record, IncomingEvent<SpecificRecord> event) {
        try {
            transactions.executeWithoutResult(status -> applyOne(event));
            failures.succeeded(record);
        } catch (PartitionRefusedException refusal) {
            throw refusal;
        } catch (RuntimeException e) {
            failures.failed(record, e);
            throw new BatchListenerFailedException(
                    "handling " + event.envelope().eventType() + " "
                            + event.envelope().eventId() + " failed: " + e.getMessage(),
                    e,
                    record);
        }
    }

    /**
     * A redelivered batch that starts with the record that failed last time tries that record alone first: running
     * the whole batch would only fail again and spend one more attempt of the handler.
     */
    private boolean startsWithKnownFailure(List<ConsumerRecord<String, byte[]>> records) {
        return failures.failedLast(records.get(0));
    }

    private void applyAll(List<IncomingEvent<SpecificRecord>> batch) {
        List<IncomingEvent<SpecificRecord>> events = notBehindTheStoredPositions(batch);
        List<String> names = new ArrayList<>(events.size());
        List<UUID> ids = new ArrayList<>(events.size());
        for (IncomingEvent<SpecificRecord> event : events) {
            names.add(topicOf(event.topic()).recordedAs());
            ids.add(event.envelope().eventId());
        }
        Set<UUID> fresh = withConnection(connection -> inbox.recordNew(connection, names, ids));
        List<IncomingEvent<SpecificRecord>> toApply = new ArrayList<>(events.size());
        for (IncomingEvent<SpecificRecord> event : inKeyOrder(events)) {
            // remove(): a second copy of the same event inside this batch is a duplicate too.
            if (fresh.remove(event.envelope().eventId())) {
                toApply.add(event);
            } else {
                topicOf(event.topic()).counters().duplicates().increment();
            }
        }
        if (toApply.isEmpty()) {
            return;
        }
        consumer.beforeEachBatch().ifPresent(first -> first.handleAll(toApply));
        List<IncomingEvent<SpecificRecord>> run = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : toApply) {
            if (!run.isEmpty()
                    && run.get(0).payload().getClass() != event.payload().getClass()) {
                dispatch(run);
                run = new ArrayList<>();
            }
            run.add(event);
        }
        if (!run.isEmpty()) {
            dispatch(run);
        }
    }

    /**
     * The batch with its aggregates in key order, each key's events in their own order (a stable sort). Two
     * batches that change the same aggregates (two instances during a rebalance, or subscriptions of one service to
     * different topics) then lock them in the same order: one may wait for the other, but they cannot deadlock. Handlers rely on the order of an
     * aggregate's own events only, as events of different keys on different partitions have no order anyway.
     */
    static List<IncomingEvent<SpecificRecord>> inKeyOrder(List<IncomingEvent<SpecificRecord>> events) {
        List<IncomingEvent<SpecificRecord>> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(IncomingEvent::key));
        return ordered;
    }

    private void applyOne(IncomingEvent<SpecificRecord> event) {
        boolean fresh = !notBehindTheStoredPositions(List.of(event)).isEmpty()
                && withConnection(connection -> inbox.recordNew(
                        connection,
                        topicOf(event.topic()).recordedAs(),
                        event.envelope().eventId()));
        if (fresh) {
            consumer.beforeEachBatch().ifPresent(first -> first.handleAll(List.of(event)));
            dispatch(List.of(event));
        } else {
            topicOf(event.topic()).counters().duplicates().increment();
        }
    }

    /**
     * Moves this consumer's stored positions past the events, in their transaction, and leaves out those before the
     * positions stored so far: they were applied already, possibly so long ago that the inbox has forgotten them. A
     * consumer is moved past them on assignment; this still holds when it was not (the database was down then, or
     * another instance still handled the partition).
     *
     * <p>Unless a position belongs to another topic of the same name: then the records below it are the new topic's,
     * never applied, and the partition is refused ({@link PartitionRefusedException}, the transaction rolls back).
     * Kafka is asked about the topic only when a batch would pass records by, or finds another topic id.
     */
    private List<IncomingEvent<SpecificRecord>> notBehindTheStoredPositions(
            List<IncomingEvent<SpecificRecord>> events) {
        // By topic name, in one order for every batch: the positions' rows are locked topic by topic.
        Map<String, Map<Integer, Long>> nextOffsets = new TreeMap<>();
        Map<String, Map<Integer, Long>> firstOffsets = new HashMap<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            nextOffsets
                    .computeIfAbsent(event.topic(), topic -> new HashMap<>())
                    .merge(event.partition(), event.offset() + 1, Math::max);
            firstOffsets
                    .computeIfAbsent(event.topic(), topic -> new HashMap<>())
                    .merge(event.partition(), event.offset(), Math::min);
        }
        Map<String, Map<Integer, StoredPosition>> before = new HashMap<>();
        nextOffsets.forEach((name, offsets) -> {
            ConsumedTopic topic = topicOf(name);
            String topicId = topic.lookup().topicId();
            Map<Integer, StoredPosition> positionsBefore = withConnection(
                    connection -> positions.advance(connection, topic.recordedAs(), name, topicId, offsets));
            positionsBefore.forEach((partition, position) -> {
                boolean passesRecordsBy = firstOffsets.get(name).get(partition) < position.nextOffset();
                if (passesRecordsBy
                        || (position.topicId() != null && !position.topicId().equals(topicId))) {
                    refuseUnlessTrusted(topic, partition, position);
                }
            });
            before.put(name, positionsBefore);
        });
        List<IncomingEvent<SpecificRecord>> ahead = new ArrayList<>(events.size());
        for (IncomingEvent<SpecificRecord> event : events) {
            StoredPosition position = before.get(event.topic()).get(event.partition());
            if (position == null || event.offset() >= position.nextOffset()) {
                ahead.add(event);
            } else {
                topicOf(event.topic()).counters().behindPosition().increment();
            }
        }
        return ahead.size() == events.size() ? events : ahead;
    }

    private void refuseUnlessTrusted(ConsumedTopic topic, int partition, StoredPosition position) {
        Optional<String> untrusted = position.untrustedOn(
                topic.lookup().refreshedTopicId(),
                topic.lookup().logEndOffsets(List.of(partition)).getOrDefault(partition, 0L));
        if (untrusted.isPresent()) {
            topic.refused().refuse(partition, untrusted.get());
            throw new PartitionRefusedException(
                    consumer.name() + " refuses " + topic.name() + "-" + partition + ": " + untrusted.get());
        }
    }

    /** Hands a run of consecutive events of one type to their handler. */
    private void dispatch(List<IncomingEvent<SpecificRecord>> run) {
        var handler = consumer.handlerFor(run.get(0).payload().getClass());
        if (handler.isPresent()) {
            long start = System.nanoTime();
            if (handler.get() instanceof EventConsumer.OneByOne<SpecificRecord> oneByOne) {
                String span = consumer.name() + " " + run.get(0).envelope().eventType();
                for (IncomingEvent<SpecificRecord> event : run) {
                    tracing.handle(event.envelope(), span, () -> {
                        oneByOne.handler().handle(event);
                        log.debug(
                                "{} handled {} {}",
                                consumer.name(),
                                event.envelope().eventType(),
                                event.envelope().eventId());
                    });
                }
            } else {
                handler.get().handleAll(run);
                if (log.isDebugEnabled()) {
                    // A batch handler worked for many sagas at once; each event's line still goes to its own trace.
                    String span = consumer.name() + " " + run.get(0).envelope().eventType();
                    for (IncomingEvent<SpecificRecord> event : run) {
                        tracing.handle(
                                event.envelope(),
                                span,
                                () -> log.debug(
                                        "{} handled {} {} (in a batch of {})",
                                        consumer.name(),
                                        event.envelope().eventType(),
                                        event.envelope().eventId(),
                                        run.size()));
                    }
                }
            }
            handlerTime(run.get(0)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            run.forEach(event -> topicOf(event.topic()).counters().handled().increment());
        } else {
            run.forEach(event -> topicOf(event.topic()).counters().skipped().increment());
        }
    }

    private <T> T withConnection(SqlWork<T> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw translator.translate("inbox", null, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * The time a handler took for a run of events of one type, inside the batch's transaction (the inbox insert and
     * the commit are not in it: they are the same for every type).
     */
    private Timer handlerTime(IncomingEvent<SpecificRecord> first) {
        return handlerTimes.computeIfAbsent(
                first.topic() + " " + first.envelope().eventType(),
                key -> Timer.builder("orderflow.consumer.handler.duration")
                        .description("time a handler took for a run of events of one type")
                        .tag("consumer", consumer.name())
                        .tag("topic", first.topic())
                        .tag("event", first.envelope().eventType())
                        .publishPercentiles(0.5, 0.99)
                        .register(meters));
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
