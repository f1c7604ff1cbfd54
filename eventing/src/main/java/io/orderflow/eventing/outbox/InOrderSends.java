package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;

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

    /** What became of a claim's rows: only {@code acknowledged} are on their topics. */
    record Outcome(List<OutboxRow> acknowledged, Map<OutboxRow, Throwable> neverSendable,
                   Map<String, Throwable> failedForNow) {
    }

    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;

    InOrderSends(Producer<String, byte[]> producer, Duration sendTimeout) {
        this.producer = producer;
        this.sendTimeout = sendTimeout;
    }

    /** Sends rows given in id order; rows of an aggregate after one that failed are not sent at all. */
    Outcome send(List<OutboxRow> rows) {
        Map<String, Deque<OutboxRow>> unsent = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            unsent.computeIfAbsent(row.aggregateId(), aggregate -> new ArrayDeque<>()).add(row);
        }
        Outcome outcome = new Outcome(new ArrayList<>(rows.size()), new LinkedHashMap<>(), new LinkedHashMap<>());
        while (!unsent.isEmpty()) {
            List<OutboxRow> wave = nextWave(unsent);
            List<CompletableFuture<Void>> acks = new ArrayList<>(wave.size());
            for (OutboxRow row : wave) {
                acks.add(send(row));
            }
            producer.flush();
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            for (int i = 0; i < wave.size(); i++) {
                OutboxRow row = wave.get(i);
                Throwable failure = failureOf(acks.get(i), deadline);
                if (failure == null) {
                    outcome.acknowledged().add(row);
                } else {
                    unsent.remove(row.aggregateId());
                    if (SendFailures.canNeverBeSent(failure)) {
                        outcome.neverSendable().put(row, failure);
                    } else {
                        outcome.failedForNow().put(row.aggregateId(), failure);
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
    private CompletableFuture<Void> send(OutboxRow row) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(row.toProducerRecord(), (metadata, failure) -> {
            if (failure == null) {
                ack.complete(null);
            } else {
                ack.completeExceptionally(failure);
            }
        });
        return ack;
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
