package io.orderflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxRelaySettings;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.OutboxWriter;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** How fast the outbox relay drains, next to the raw producer on the same broker, and how soon an event is out. */
@Command(
        name = "outbox",
        mixinStandardHelpOptions = true,
        description = "Outbox relay throughput and commit-to-publish latency against a raw idempotent producer.")
public final class OutboxBench implements Callable<Integer> {

    // What Outbox does after a commit, done by hand by this bench's plain-JDBC writers.
    private final OutboxSignal committed = new OutboxSignal();
    private static final int AGGREGATES = 1_000;

    @Option(
            names = "--event-size",
            defaultValue = "1024",
            description = "Payload bytes per event (default ${DEFAULT-VALUE}).")
    int eventSize;

    @Option(names = "--raw-events", defaultValue = "200000", description = "Events for the raw producer run.")
    int rawEvents;

    @Option(
            names = "--backlog-events",
            defaultValue = "100000",
            description = "Events in the backlog the relay drains.")
    int backlogEvents;

    @Option(names = "--writers", defaultValue = "4", description = "Concurrent writers committing outbox rows.")
    int writers;

    @Option(names = "--seconds", defaultValue = "20", description = "Length of the concurrent run.")
    int seconds;

    @Option(names = "--latency-samples", defaultValue = "500", description = "Events timed from commit to consumer.")
    int latencySamples;

    private final OutboxWriter writer = new OutboxWriter();
    private BenchEvent template;
    private EventSerdes serdes;

    @Override
    public Integer call() throws Exception {
        BenchReport.title("Outbox relay benchmark: " + eventSize + "-byte events, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        try (BenchStack stack = BenchStack.start()) {
            serdes = stack.serdes();
            Topic topic = Topic.of("bench.outbox", BenchEvent.class);
            stack.createTopic(topic);
            template = new BenchEvent("", 0L, ByteBuffer.wrap(body()));
            BenchReport.line("encoded event size", serdes.of(topic).toBytes(template).length + " bytes");

            double raw = rawProducer(stack, topic);
            DataSource dataSource = stack.freshSchema("bench_outbox", writers + 4);
            try (OutboxRelay relay = new OutboxRelay(
                    dataSource,
                    stack.reliableProducer("bench-relay"),
                    OutboxRelaySettings.defaults(),
                    committed,
                    new SimpleMeterRegistry())) {
                double drain = drainBacklog(dataSource, relay, topic);
                BenchReport.line("relay drain rate / raw producer rate", String.format("%.2f", drain / raw));
                relay.start();
                concurrentWriters(dataSource, topic);
                idleLatency(stack, dataSource, topic);
            }
        }
        return 0;
    }

    private double rawProducer(BenchStack stack, Topic topic) {
        BenchReport.title("1. Raw idempotent producer (acks=all, lz4), same broker");
        try (KafkaProducer<String, byte[]> producer = stack.reliableProducer("bench-raw")) {
            byte[] value = serdes.of(topic).toBytes(template);
            long start = System.nanoTime();
            for (int i = 0; i < rawEvents; i++) {
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(topic.name(), "agg-" + (i % AGGREGATES), value);
                Envelope.first("BenchEvent", "raw", "bench", Instant.now()).writeTo(record.headers());
                producer.send(record);
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            BenchReport.line("events", String.format("%,d", rawEvents));
            BenchReport.line("throughput", BenchReport.rate(rawEvents, elapsed));
            return BenchReport.perSecond(rawEvents, elapsed);
        }
    }

    private double drainBacklog(DataSource dataSource, OutboxRelay relay, Topic topic) throws Exception {
        BenchReport.title("2. Relay draining a backlog of " + String.format("%,d", backlogEvents) + " committed rows");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> fills = new ArrayList<>();
        int perWriter = backlogEvents / writers;
        for (int w = 0; w < writers; w++) {
            int offset = w * perWriter;
            fills.add(pool.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    for (int i = 0; i < perWriter; i++) {
                        append(connection, topic, offset + i);
                        if (i % 500 == 499) {
                            connection.commit();
                            committed.raise();
                        }
                    }
                    connection.commit();
                    committed.raise();
                }
                return null;
            }));
        }
        for (Future<?> fill : fills) {
            fill.get();
        }
        pool.shutdown();
        long rows = backlog(dataSource);
        long start = System.nanoTime();
        while (relay.publishBatch() > 0) {
            // the relay's own loop does the same, without the pauses of an idle outbox
        }
        long elapsed = System.nanoTime() - start;
        BenchReport.line("rows published", String.format("%,d", rows));
        BenchReport.line("relay throughput (one relay, batches of 500)", BenchReport.rate(rows, elapsed));
        return BenchReport.perSecond(rows, elapsed);
    }

    private void concurrentWriters(DataSource dataSource, Topic topic) throws Exception {
        BenchReport.title(
                "3. " + writers + " writers committing one event per transaction for " + seconds + " s, relay running");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            running.add(pool.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    while (writing.get()) {
                        append(connection, topic, (int) written.get());
                        connection.commit();
                        committed.raise();
                        written.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        long maxBacklog = 0;
        StringBuilder samples = new StringBuilder();
        for (int second = 1; second <= seconds; second++) {
            TimeUnit.MILLISECONDS.sleep(1000);
            long backlog = backlog(dataSource);
            maxBacklog = Math.max(maxBacklog, backlog);
            samples.append(backlog).append(second < seconds ? " " : "");
        }
        writing.set(false);
        for (Future<?> run : running) {
            run.get();
        }
        pool.shutdown();
        long writeElapsed = System.nanoTime() - start;
        long leftAtStop = backlog(dataSource);
        long drainStart = System.nanoTime();
        while (backlog(dataSource) > 0) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
        BenchReport.line("events committed", String.format("%,d", written.get()));
        BenchReport.line("commit rate (all writers)", BenchReport.rate(written.get(), writeElapsed));
        BenchReport.line("relay publish rate over the run", BenchReport.rate(written.get() - leftAtStop, writeElapsed));
        BenchReport.line("backlog each second", samples.toString());
        BenchReport.line("largest backlog sampled", String.format("%,d rows", maxBacklog));
        BenchReport.line(
                "backlog when writers stopped", String.format("%,d rows, drained in %d ms", leftAtStop, drainMillis));
    }

    private void idleLatency(BenchStack stack, DataSource dataSource, Topic topic) throws Exception {
        BenchReport.title(
                "4. Commit-to-consumer latency, idle outbox (one event every 20 ms, woken after each commit)");
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        int warmUp = 50;
        AtomicLong received = new AtomicLong();
        AtomicBoolean consuming = new AtomicBoolean(true);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                stack.kafkaConfig(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread poller = new Thread(
                    () -> {
                        while (consuming.get()) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                                long now = System.nanoTime();
                                String id = new String(
                                        record.headers()
                                                .lastHeader(EventHeaders.EVENT_ID)
                                                .value(),
                                        StandardCharsets.UTF_8);
                                Long committedNanos = committedAt.remove(id);
                                if (committedNanos != null && received.incrementAndGet() > warmUp) {
                                    latency.recordValue(Math.min(
                                            BenchReport.micros(now - committedNanos),
                                            latency.getHighestTrackableValue()));
                                }
                            }
                        }
                    },
                    "bench-latency-consumer");
            poller.start();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                for (int i = 0; i < latencySamples + warmUp; i++) {
                    String id = append(connection, topic, i);
                    connection.commit();
                    committed.raise();
                    committedAt.put(id, System.nanoTime());
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.get() < latencySamples + warmUp && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            consuming.set(false);
            poller.join();
        }
        BenchReport.line("commit -> record at a consumer", BenchReport.millis(latency));
    }

    /** Appends one event; returns its event id. */
    private String append(Connection connection, Topic topic, int sequence) throws SQLException {
        String aggregate = "agg-" + (sequence % AGGREGATES);
        BenchEvent event =
                new BenchEvent(aggregate, (long) sequence, template.getBody().duplicate());
        Envelope envelope = Envelope.first("BenchEvent", aggregate, "bench", Instant.now());
        writer.append(connection, serdes.of(topic), aggregate, event, envelope);
        return envelope.eventId().toString();
    }

    private static long backlog(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM outbox")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Text-like bytes: compressible as real payloads are, not random noise. */
    private byte[] body() {
        StringBuilder text = new StringBuilder();
        while (text.length() < Math.max(0, eventSize - 48)) {
            text.append("{\"sku\":\"SKU-")
                    .append(UUID.randomUUID().toString(), 0, 8)
                    .append("\",\"qty\":")
                    .append(text.length() % 97)
                    .append("},");
        }
        text.setLength(Math.max(0, eventSize - 48));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
