package io.orderflow.app.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How soon an event is visible in the order view, measured from outside: a read-committed consumer of the view's
 * changelog sees a change only once the view's transaction committed it. For each event new in an order's timeline,
 * the time it was received here minus the time the event reached Kafka (the read side's own delay), and minus the
 * time it happened in its service's transaction (the outbox relay's delay too).
 */
public final class ViewFreshness implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Histogram fromPublished = new Histogram(3_600_000_000L, 3);
    private final Histogram fromOccurred = new Histogram(3_600_000_000L, 3);
    private final Map<String, Integer> seen = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final KafkaConsumer<String, byte[]> consumer;

    ViewFreshness(String bootstrapServers, String changelog) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(changelog, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(changelog, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "view-freshness");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                long received = System.currentTimeMillis();
                if (record.value() == null) {
                    continue;
                }
                JsonNode timeline = json.readTree(record.value()).path("timeline");
                int known = seen.getOrDefault(record.key(), 0);
                // The entries new to this record are taken to be its newest: an order's events mostly arrive in
                // the order they happened.
                List<JsonNode> entries = timeline.valueStream()
                        .sorted(Comparator.comparingLong(entry -> epochMillis(entry.path("publishedAt"))))
                        .toList();
                for (int i = known; i < entries.size(); i++) {
                    record(fromPublished, received, epochMillis(entries.get(i).path("publishedAt")));
                    record(fromOccurred, received, epochMillis(entries.get(i).path("at")));
                }
                seen.put(record.key(), entries.size());
            }
        }
        consumer.close();
    }

    /** The view stores instants as epoch milliseconds; views written by earlier versions have ISO-8601 text. */
    private static long epochMillis(JsonNode instant) {
        return instant.isNumber() ? instant.asLong() : Instant.parse(instant.asString()).toEpochMilli();
    }

    private void record(Histogram histogram, long received, long epochMillis) {
        long millis = Math.max(0, received - epochMillis);
        synchronized (this) {
            histogram.recordValue(millis * 1000);
        }
    }

    /** From the event's arrival in Kafka to its commit in the view. */
    public synchronized Histogram fromPublished() {
        return fromPublished.copy();
    }

    /** From the event's own transaction (write side) to its commit in the view. */
    public synchronized Histogram fromOccurred() {
        return fromOccurred.copy();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
