package io.orderflow.eventing.consumer;

import io.orderflow.eventing.serde.PoisonRecordException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Judges each failed attempt of a record as it happens, for the error handler's backoff to ask whether to go on.
 * An outage (the database, the registry, a dependency) says nothing about the record: it is retried for as long as it
 * lasts and does not count. A failure of the record's own counts towards its bounded retries, whatever failed
 * before; a poison record needs no second attempt. Spring Kafka's own classification happens once, at a record's
 * first failure, so it cannot tell an outage that turns into poison, or a bug interrupted by an outage.
 *
 * <p>A partition waits for its failing record, so there is at most one per partition; the container's threads share
 * this tally.
 */
public final class RecordFailures {

    private final int attempts;
    private final Outages outages;
    private final Map<TopicPartition, Tally> byPartition = new ConcurrentHashMap<>();

    private record Tally(long offset, int ownFailures, boolean givenUp) {}

    /**
     * @param attempts attempts a record gets before it is given up: the first one and the retries
     * @param outages  tells an outage, which does not count, from a failure of the record's own
     */
    public RecordFailures(int attempts, Outages outages) {
        this.attempts = attempts;
        this.outages = outages;
    }

    public void failed(ConsumerRecord<?, ?> record, Throwable failure) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Tally before = byPartition.get(partition);
        int ownFailures = before != null && before.offset() == record.offset() ? before.ownFailures() : 0;
        Tally after;
        if (outages.test(failure)) {
            after = new Tally(record.offset(), ownFailures, false);
        } else if (failure instanceof PoisonRecordException) {
            after = new Tally(record.offset(), ownFailures + 1, true);
        } else {
            after = new Tally(record.offset(), ownFailures + 1, ownFailures + 1 >= attempts);
        }
        byPartition.put(partition, after);
    }

    public void succeeded(ConsumerRecord<?, ?> record) {
        byPartition.computeIfPresent(
                new TopicPartition(record.topic(), record.partition()),
                (partition, tally) -> tally.offset() == record.offset() ? null : tally);
    }

    /** Whether the last attempt of this record was its last: the error handler dead-letters it. */
    public boolean givenUp(ConsumerRecord<?, ?> record) {
        Tally tally = tallyOf(record);
        return tally != null && tally.givenUp();
    }

    /** How often this record failed through its own fault, as far as this tally knows. */
    public int ownFailures(ConsumerRecord<?, ?> record) {
        Tally tally = tallyOf(record);
        return tally == null ? 0 : tally.ownFailures();
    }

    /** Whether this record is the one that failed last on its partition. */
    public boolean failedLast(ConsumerRecord<?, ?> record) {
        return tallyOf(record) != null;
    }

    private Tally tallyOf(ConsumerRecord<?, ?> record) {
        Tally tally = byPartition.get(new TopicPartition(record.topic(), record.partition()));
        return tally != null && tally.offset() == record.offset() ? tally : null;
    }
}
