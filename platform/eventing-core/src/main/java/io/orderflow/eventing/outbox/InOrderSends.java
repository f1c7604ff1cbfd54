package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends claimed rows so that no row reaches its topic unless every earlier row of its aggregate has been
 * acknowledged: rows leave in waves holding at most one row per aggregate, and an aggregate whose row failed sends
 * nothing more this cycle.
 *
 * <p>Sending a whole aggregate at once and looking at the acknowledgements afterwards is not enough: the broker can
 * refuse one record and take the next one of the same partition (a too-large record is split off its batch and
 * refused alone), and a record that has reached the topic cannot be taken back. A wave is still one produce
 * request per partition, so a cycle costs one round trip per row of its busiest aggregate, not one per row.
 */
final class InOrderSends {

    /**
     * What became of a claim's rows: only {@code acknowledged} are on their topics; {@code failedPartitions} are the
     * partitions of the rows that failed for now.
     */
    record Outcome(
            List<OutboxRow> acknowledged,
            Map<OutboxRow, Throwable> neverSendable,
            Map<String, Throwable> failedForNow,
            Set<TopicPartition> failedPartitions) {}

    private final Producer<String, byte[]> producer;
    private final FailingPartitions failingPartitions;
    private final Duration sendTimeout;
    private final Duration probeTimeout;
    private final AtomicInteger unsettledSends = new AtomicInteger();

    /**
     * @param probeTimeout how long a cycle waits for a probe of a partition that failed: a partition that is back
     *                     answers at once, and one that is not must not hold up the cycle for the send timeout again
     */
    InOrderSends(
            Producer<String, byte[]> producer,
            FailingPartitions failingPartitions,
            Duration sendTimeout,
            Duration probeTimeout) {
        this.producer = producer;
        this.failingPartitions = failingPartitions;
        this.sendTimeout = sendTimeout;
        this.probeTimeout = probeTimeout.compareTo(sendTimeout) < 0 ? probeTimeout : sendTimeout;
    }

    /**
     * Sends rows given in id order; rows of an aggregate after one that failed are not sent at all. A probe is
     * waited for only up to the probe timeout; its answer, if it comes later, still ends its partition's backoff.
     */
    Outcome send(List<OutboxRow> rows, RecordPartitions partitions, Set<OutboxRow> probes) {
        Map<String, Deque<OutboxRow>> unsent = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            unsent.computeIfAbsent(row.aggregateId(), aggregate -> new ArrayDeque<>())
                    .add(row);
        }
        Outcome outcome = new Outcome(
                new ArrayList<>(rows.size()), new LinkedHashMap<>(), new LinkedHashMap<>(), new HashSet<>());
        while (!unsent.isEmpty()) {
            List<OutboxRow> wave = nextWave(unsent);
            // flush() waits for every record in flight, a probe's or one left over from an earlier wait into a
            // partition that does not answer among them: then the records go out after linger.ms instead.
            boolean flush = unsettledSends.get() == 0;
            Map<OutboxRow, CompletableFuture<Void>> acks = new LinkedHashMap<>();
            for (OutboxRow row : wave) {
                if (!probes.contains(row)) {
                    acks.put(row, send(row, partitions));
                }
            }
            if (flush) {
                producer.flush();
            }
            for (OutboxRow row : wave) {
                if (probes.contains(row)) {
                    acks.put(row, send(row, partitions));
                }
            }
            long now = System.nanoTime();
            long deadline = now + sendTimeout.toNanos();
            long probeDeadline = now + probeTimeout.toNanos();
            for (Map.Entry<OutboxRow, CompletableFuture<Void>> ack : acks.entrySet()) {
                OutboxRow row = ack.getKey();
                Throwable failure = failureOf(ack.getValue(), probes.contains(row) ? probeDeadline : deadline);
                if (failure == null) {
                    outcome.acknowledged().add(row);
                } else {
                    unsent.remove(row.aggregateId());
                    if (SendFailures.canNeverBeSent(failure)) {
                        outcome.neverSendable().put(row, failure);
                    } else {
                        outcome.failedForNow().put(row.aggregateId(), failure);
                        partitionOf(row, partitions).ifPresent(outcome.failedPartitions()::add);
                    }
                }
            }
        }
        return outcome;
    }

    /** The first unsent row of each aggregate, taken off its queue. */
    private static List<OutboxRow> nextWave(Map<String, Deque<OutboxRow>> unsent) {
        List<OutboxRow> wave = new ArrayList<>(unsent.size());
        for (Iterator<Deque<OutboxRow>> queues = unsent.values().iterator(); queues.hasNext(); ) {
            Deque<OutboxRow> queue = queues.next();
            wave.add(queue.poll());
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
        return wave;
    }

    // The callback, not the producer's future: that future recurses once per split of the record's batch, and a
    // producer that keeps splitting a refused batch overflows the stack of whoever calls get().
    private CompletableFuture<Void> send(OutboxRow row, RecordPartitions partitions) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        TopicPartition partition;
        try {
            partition = partitions.of(row);
        } catch (KafkaException unknownPartitions) {
            ack.completeExceptionally(unknownPartitions);
            return ack;
        }
        unsettledSends.incrementAndGet();
        try {
            producer.send(row.toProducerRecord(partition.partition()), (metadata, failure) -> {
                unsettledSends.decrementAndGet();
                if (failure == null) {
                    failingPartitions.answered(partition);
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            // Thrown before the record was taken (a closed producer, an interrupt): no callback comes, and the
            // cycle fails as a whole.
            unsettledSends.decrementAndGet();
            throw e;
        }
        return ack;
    }

    private static Optional<TopicPartition> partitionOf(OutboxRow row, RecordPartitions partitions) {
        try {
            return Optional.of(partitions.of(row));
        } catch (KafkaException unknownPartitions) {
            return Optional.empty();
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}
