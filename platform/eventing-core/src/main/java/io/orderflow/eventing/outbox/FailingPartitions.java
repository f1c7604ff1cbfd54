package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions whose sends failed for now (offline, no leader, not enough replicas), and the aggregates that wait for
 * them. Backing off per aggregate is not enough: new aggregates keep landing on a partition that does not answer,
 * and each cycle that sends one of them waits the full send timeout for it, holding up every healthy row of the
 * cycle. So no row goes to a partition while it backs off; its aggregates are left out of the claims meanwhile, so
 * they do not crowd healthy rows out of them either. When the backoff ends, one row probes the partition; the
 * partition's first answer, whenever it comes, ends the backoff and lets its aggregates go.
 */
final class FailingPartitions {

    /** A cycle's rows to send, and among them the probes: rows sent to a partition whose backoff just ended. */
    record Plan(List<OutboxRow> toSend, Set<OutboxRow> probes) {}

    private final Backoffs<TopicPartition> backoffs;
    private final Map<TopicPartition, Set<String>> waitingAggregates = new HashMap<>();

    FailingPartitions(Duration firstBackoff, Duration maxBackoff) {
        this.backoffs = new Backoffs<>(firstBackoff, maxBackoff);
    }

    /** Which of the claimed rows (in id order) to send: none of a partition backing off, one of one on probation. */
    synchronized Plan plan(List<OutboxRow> claimed, RecordPartitions partitions) {
        List<OutboxRow> toSend = new ArrayList<>(claimed.size());
        Set<OutboxRow> probes = new HashSet<>();
        Map<TopicPartition, String> probingAggregates = new HashMap<>();
        for (OutboxRow row : claimed) {
            TopicPartition partition;
            try {
                partition = partitions.of(row);
            } catch (KafkaException unknownPartitions) {
                toSend.add(row); // its send fails the same way, and is judged like any failed send
                continue;
            }
            if (backoffs.isBackingOff(partition)) {
                waitingAggregates
                        .computeIfAbsent(partition, p -> new LinkedHashSet<>())
                        .add(row.aggregateId());
            } else if (!backoffs.isOnProbation(partition)) {
                toSend.add(row);
            } else if (probingAggregates.putIfAbsent(partition, row.aggregateId()) == null) {
                // Its aggregate's first row (rows come in id order); the aggregate's later rows wait for the answer.
                toSend.add(row);
                probes.add(row);
                Set<String> waiting = waitingAggregates.get(partition);
                if (waiting != null) {
                    waiting.remove(row.aggregateId());
                }
            } else if (!probingAggregates.get(partition).equals(row.aggregateId())) {
                waitingAggregates
                        .computeIfAbsent(partition, p -> new LinkedHashSet<>())
                        .add(row.aggregateId());
            }
        }
        return new Plan(toSend, probes);
    }

    synchronized void failed(TopicPartition partition) {
        backoffs.failed(partition);
    }

    /** The partition took a record: it is healthy again. Called on the producer's thread, whenever the ack comes. */
    synchronized void answered(TopicPartition partition) {
        if (backoffs.isKnown(partition)) {
            backoffs.succeeded(partition);
            waitingAggregates.remove(partition);
        }
    }

    /**
     * The aggregates to leave out of the next claim: those waiting for a partition that backs off, and for one on
     * probation all but its oldest waiting aggregate, whose row will probe it.
     */
    synchronized Set<String> heldBackAggregates() {
        backoffs.heldBack(); // forgets partitions whose backoff ended long ago
        Set<String> held = new HashSet<>();
        for (var waiting = waitingAggregates.entrySet().iterator(); waiting.hasNext(); ) {
            var entry = waiting.next();
            if (backoffs.isBackingOff(entry.getKey())) {
                held.addAll(entry.getValue());
            } else if (backoffs.isOnProbation(entry.getKey())) {
                entry.getValue().stream().skip(1).forEach(held::add);
            } else {
                waiting.remove();
            }
        }
        return held;
    }
}
