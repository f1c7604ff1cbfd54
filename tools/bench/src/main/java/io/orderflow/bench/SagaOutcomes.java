package io.orderflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

/**
 * Watches orders.events for the events that end a saga, as a client waiting for its order would: an order is settled
 * when this process reads its final event from Kafka. Counts every final event, so that a second one shows.
 */
public final class SagaOutcomes implements AutoCloseable {

    public static final Set<String> FINAL =
            Set.of("OrderConfirmed", "OrderRejected", "OrderCancelled", "OrderCompensationFailed");

    /** The first final event of an order and when it was read. */
    public record Outcome(String type, long seenNanos) {}

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Integer> finals = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    /** @param kafka the client settings: bootstrap servers, security */
    public SagaOutcomes(Map<String, Object> kafka, String topic) {
        this(kafka, topic, 5);
    }

    /**
     * @param fetchMaxWaitMs how long the broker may hold a fetch for records: short to time orders to the
     *                       millisecond, longer where that precision is not needed and the brokers' CPU is
     */
    public SagaOutcomes(Map<String, Object> kafka, String topic, int fetchMaxWaitMs) {
        KafkaConsumer<String, byte[]> consumer = CommittedTail.of(kafka, List.of(topic), fetchMaxWaitMs);
        poller = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                                Header type = record.headers().lastHeader("event-type");
                                String name = type == null ? "" : new String(type.value(), StandardCharsets.UTF_8);
                                if (FINAL.contains(name)) {
                                    outcomes.putIfAbsent(record.key(), new Outcome(name, System.nanoTime()));
                                    finals.merge(record.key(), 1, Integer::sum);
                                }
                            }
                        }
                    }
                },
                "bench-outcomes");
        poller.setDaemon(true);
        poller.start();
    }

    public Outcome outcomeOf(String orderId) {
        return outcomes.get(orderId);
    }

    public int finalEventsOf(String orderId) {
        return finals.getOrDefault(orderId, 0);
    }

    /** Orders settled since this watcher started. */
    public long settledCount() {
        return outcomes.size();
    }

    public long settledAmong(Collection<String> orderIds) {
        return orderIds.stream().filter(outcomes::containsKey).count();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join(5_000);
    }
}
