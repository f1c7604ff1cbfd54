package io.orderflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.consumer.BatchEventHandler;
import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.OutboxWriter;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.tracing.EventTracing;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The consumer runtime (one database transaction per poll batch) against the naive per-message pattern
 * (SELECT processed, handle, INSERT processed, commit), on the same events, broker and database.
 */
@Command(
        name = "consumer",
        mixinStandardHelpOptions = true,
        description = "Batch-transaction consumer runtime versus the naive per-message pattern, same data.")
public final class ConsumerBench implements Callable<Integer> {

    private static final String EFFECTS = "CREATE TABLE effects (aggregate_id TEXT NOT NULL, sequence BIGINT NOT NULL)";
    private static final int AGGREGATES = 500;

    @Option(names = "--events", defaultValue = "20000", description = "Events to consume (default ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--naive-events",
            defaultValue = "5000",
            description = "Events for the naive pattern, which is slow (default ${DEFAULT-VALUE}).")
    int naiveEvents;

    private final Topic input = Topic.of("bench.consumer", BenchEvent.class);
    private final Topic output = Topic.of("bench.consumer-out", BenchEvent.class);
    private EventSerdes serdes;

    @Override
    public Integer call() throws Exception {
        BenchReport.title("Consumer benchmark: handler = one state change + one outbox event per message");
        try (BenchStack stack = BenchStack.start()) {
            serdes = stack.serdes();
            stack.createTopic(input);
            stack.createTopic(output);
            produce(stack, Math.max(events, naiveEvents));

            double perEvent = batched(stack, false);
            double batchHandler = batched(stack, true);
            double naive = naive(stack);
            BenchReport.title("Result");
            BenchReport.line("batch transaction, per-event handler / naive", String.format("%.1fx", perEvent / naive));
            BenchReport.line("batch transaction, batch handler / naive", String.format("%.1fx", batchHandler / naive));
        }
        return 0;
    }

    private void produce(BenchStack stack, int count) {
        try (KafkaProducer<String, byte[]> producer = stack.reliableProducer("bench-input")) {
            for (int i = 0; i < count; i++) {
                String aggregate = "agg-" + (i % AGGREGATES);
                BenchEvent event = new BenchEvent(aggregate, (long) i, ByteBuffer.wrap(new byte[64]));
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                        input.name(), aggregate, serdes.of(input).toBytes(event));
                Envelope.first("BenchEvent", aggregate, "bench", Instant.now()).writeTo(record.headers());
                producer.send(record);
            }
            producer.flush();
        }
        BenchReport.line("events on " + input.name(), String.format("%,d in %d partitions", count, 6));
    }

    private double batched(BenchStack stack, boolean batchHandler) throws Exception {
        String name = batchHandler ? "bench-batch-handler" : "bench-event-handler";
        BenchReport.title((batchHandler ? "2" : "1") + ". Eventing runtime: one transaction per poll batch, "
                + (batchHandler ? "a batch handler (JDBC batch of state changes)" : "a handler called per event"));
        DataSource dataSource = stack.freshSchema(name.replace('-', '_'), 4, EFFECTS);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // No relay runs in this bench: nobody waits for the signal.
        Outbox outbox = new Outbox(dataSource, "bench", Clock.systemUTC(), serdes, new OutboxSignal());
        AtomicLong first = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        AtomicLong last = new AtomicLong();
        JdbcTemplate template = new JdbcTemplate(dataSource);
        BatchEventHandler<BenchEvent> handler = batch -> {
            first.compareAndSet(0, System.nanoTime());
            if (batchHandler) {
                template.batchUpdate(
                        "INSERT INTO effects (aggregate_id, sequence) VALUES (?, ?)",
                        batch,
                        batch.size(),
                        (statement, event) -> {
                            statement.setString(1, event.payload().getAggregateId());
                            statement.setLong(2, event.payload().getSequence());
                        });
            }
            for (IncomingEvent<BenchEvent> event : batch) {
                if (!batchHandler) {
                    jdbc.sql("INSERT INTO effects (aggregate_id, sequence) VALUES (?, ?)")
                            .params(
                                    event.payload().getAggregateId(),
                                    event.payload().getSequence())
                            .update();
                }
                outbox.appendCausedBy(event.envelope(), output, event.key(), event.payload());
            }
            if (handled.addAndGet(batch.size()) >= events) {
                last.compareAndSet(0, System.nanoTime());
            }
        };
        EventConsumer consumer =
                EventConsumer.of(name, input).onBatch(BenchEvent.class, handler).build();
        var deadLetters = new KafkaTemplate<>(new DefaultKafkaProducerFactory<String, byte[]>(stack.kafkaConfig(Map.of(
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class))));
        ConsumerSettings settings = ConsumerSettings.defaults();
        EventConsumerContainers containers = new EventConsumerContainers(
                List.of(consumer),
                stack.kafkaConfig(),
                settings,
                dataSource,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                deadLetters,
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                serdes,
                EventTracing.LOG_CONTEXT_ONLY);
        containers.start();
        try {
            awaitCount(dataSource, events);
        } finally {
            containers.stop();
            deadLetters.destroy();
        }
        // Until every one of the first `events` records is applied; later records may already be in flight.
        long elapsed = (last.get() == 0 ? System.nanoTime() : last.get()) - first.get();
        long applied = Math.min(handled.get(), events);
        BenchReport.line("events applied", String.format("%,d", applied));
        BenchReport.line("throughput (first to last event handled)", BenchReport.rate(applied, elapsed));
        return BenchReport.perSecond(applied, elapsed);
    }

    private double naive(BenchStack stack) throws Exception {
        BenchReport.title("3. Naive: per message SELECT processed, handle, INSERT processed, COMMIT");
        DataSource dataSource = stack.freshSchema("bench_naive", 2, EFFECTS);
        OutboxWriter writer = new OutboxWriter();
        long first = 0;
        long applied = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                        stack.kafkaConfig(Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "bench-naive",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false)),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
                Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            consumer.subscribe(List.of(input.name()));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (applied < naiveEvents && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    Envelope envelope = Envelope.readFrom(record.headers());
                    BenchEvent event = (BenchEvent) serdes.of(input).fromBytes(envelope.eventType(), record.value());
                    if (!processed(connection, envelope)) {
                        try (PreparedStatement effect = connection.prepareStatement(
                                "INSERT INTO effects (aggregate_id, sequence) VALUES (?, ?)")) {
                            effect.setString(1, event.getAggregateId());
                            effect.setLong(2, event.getSequence());
                            effect.executeUpdate();
                        }
                        writer.append(
                                connection,
                                serdes.of(output),
                                record.key(),
                                event,
                                envelope.next("BenchEvent", "bench", Instant.now()));
                        try (PreparedStatement inbox = connection.prepareStatement(
                                "INSERT INTO processed_events (consumer, event_id) VALUES ('bench-naive', ?)")) {
                            inbox.setObject(1, envelope.eventId());
                            inbox.executeUpdate();
                        }
                    }
                    connection.commit();
                    if (++applied == naiveEvents) {
                        break;
                    }
                }
                consumer.commitSync();
            }
        }
        long elapsed = System.nanoTime() - first;
        BenchReport.line("events applied", String.format("%,d", applied));
        BenchReport.line("throughput (first to last event handled)", BenchReport.rate(applied, elapsed));
        return BenchReport.perSecond(applied, elapsed);
    }

    private static boolean processed(Connection connection, Envelope envelope) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM processed_events WHERE consumer = 'bench-naive' AND event_id = ?")) {
            select.setObject(1, envelope.eventId());
            try (ResultSet result = select.executeQuery()) {
                return result.next();
            }
        }
    }

    private static void awaitCount(DataSource dataSource, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Connection connection = dataSource.getConnection();
                    var statement = connection.createStatement();
                    var result = statement.executeQuery("SELECT count(*) FROM effects")) {
                result.next();
                if (result.getLong(1) >= count) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException("the consumer did not apply " + count + " events within 10 minutes");
    }
}
