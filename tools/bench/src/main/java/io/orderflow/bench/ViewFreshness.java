package io.orderflow.bench;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How soon an event is visible in the order view, measured from outside with two read-committed consumers in this
 * JVM: one of the event topics notes when each event becomes readable (its publisher's transaction committed), one
 * of the view's changelog notes when the view's own transaction committed the event into the order's view. Their
 * difference is the read side's delay. Each event new in an order's timeline is also measured from the time it was
 * sent to Kafka (its record timestamp, before its publisher committed) and from the time it happened in its
 * service's database transaction (the outbox relay's delay too).
 */
public final class ViewFreshness implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Histogram fromCommitted = new Histogram(3_600_000_000L, 3);
    private final Histogram fromPublished = new Histogram(3_600_000_000L, 3);
    private final Histogram fromOccurred = new Histogram(3_600_000_000L, 3);
    private final Map<String, Integer> seen = new HashMap<>();
    // An event is matched once both consumers have seen it, whichever sees it first.
    private final Map<String, Long> readableAt = new HashMap<>();
    private final Map<String, Long> viewedAt = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    /** @param kafka the client settings: bootstrap servers, security */
    ViewFreshness(Map<String, Object> kafka, String changelog) {
        KafkaConsumer<String, byte[]> views = CommittedTail.of(kafka, List.of(changelog), 10);
        KafkaConsumer<String, byte[]> events =
                CommittedTail.of(kafka, Topics.ALL.stream().map(Topic::name).toList(), 10);
        threads = List.of(
                poller("view-freshness", views, this::viewChanged),
                poller("view-freshness-events", events, this::eventReadable));
    }

    private Thread poller(
            String name, KafkaConsumer<String, byte[]> consumer, Consumer<ConsumerRecord<String, byte[]>> handler) {
        Thread thread = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            consumer.poll(Duration.ofMillis(100)).forEach(handler);
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void eventReadable(ConsumerRecord<String, byte[]> record) {
        long received = System.currentTimeMillis();
        Header eventId = record.headers().lastHeader(EventHeaders.EVENT_ID);
        if (eventId != null) {
            matched(new String(eventId.value(), StandardCharsets.UTF_8), received, readableAt, viewedAt);
        }
    }

    private void viewChanged(ConsumerRecord<String, byte[]> record) {
        long received = System.currentTimeMillis();
        if (record.value() == null) {
            return;
        }
        JsonNode timeline = json.readTree(record.value()).path("timeline");
        int known = seen.getOrDefault(record.key(), 0);
        // The entries new to this record are taken to be its newest: an order's events mostly arrive in the order
        // they happened.
        List<JsonNode> entries = timeline.valueStream()
                .sorted(Comparator.comparingLong(entry -> epochMillis(entry.path("publishedAt"))))
                .toList();
        for (int i = known; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            record(fromPublished, received - epochMillis(entry.path("publishedAt")));
            record(fromOccurred, received - epochMillis(entry.path("at")));
            matched(entry.path("eventId").asString(), received, viewedAt, readableAt);
        }
        seen.put(record.key(), entries.size());
    }

    /** Records the view's delay for an event once both times are known. */
    private synchronized void matched(String eventId, long now, Map<String, Long> mine, Map<String, Long> theirs) {
        Long other = theirs.remove(eventId);
        if (other == null) {
            mine.put(eventId, now);
            return;
        }
        long readable = mine == readableAt ? now : other;
        long viewed = mine == viewedAt ? now : other;
        record(fromCommitted, viewed - readable);
    }

    /** The view stores instants as epoch milliseconds; views written by earlier versions have ISO-8601 text. */
    private static long epochMillis(JsonNode instant) {
        return instant.isNumber()
                ? instant.asLong()
                : Instant.parse(instant.asString()).toEpochMilli();
    }

    private synchronized void record(Histogram histogram, long millis) {
        histogram.recordValue(Math.max(0, millis) * 1000);
    }

    /** From the event's commit on its topic (readable to a read-committed consumer) to its commit in the view. */
    public synchronized Histogram fromCommitted() {
        return fromCommitted.copy();
    }

    /** From the event's arrival in Kafka (its record timestamp, before its publisher committed) to the view. */
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
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
