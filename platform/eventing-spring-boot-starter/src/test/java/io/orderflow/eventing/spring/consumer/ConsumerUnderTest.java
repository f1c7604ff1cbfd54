package io.orderflow.eventing.spring.consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.EventingDatabase;
import io.orderflow.eventing.TestSerdes;
import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.RecordFailures;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.outbox.ReliableProducer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.testevents.CounterReset;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.topic.TopicSettings;
import io.orderflow.eventing.tracing.EventTracing;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One consumer of the library on a topic, a group and a database schema of its own, against the test stack's real
 * broker and PostgreSQL, without a Spring context: each test gets a clean one in about a second. Its handler
 * records what it applied and fails as a test scripts it, per sequence number.
 */
final class ConsumerUnderTest implements AutoCloseable {

    static final int PARTITIONS = 2;
    static final ConsumerSettings SETTINGS = new ConsumerSettings(
            1, 500, 3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(6));

    /** What the handler does instead of applying an event, for one attempt. */
    enum Failure {
        /** The database drops the handler's connection, as when PostgreSQL restarts. */
        OUTAGE,
        /** The handler throws on this event: a bug, or a rule the event breaks. */
        BUG
    }

    final Topic topic;
    /** A second topic of the same events, for consumers of several topics; created when first asked for. */
    private Topic other;

    final String name;
    final RawKafka records;
    final HikariDataSource dataSource;
    final JdbcClient jdbc;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String registryUrl;
    private final Map<Integer, IntFunction<Failure>> script = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final DefaultKafkaProducerFactory<String, byte[]> deadLetterProducers;
    private EventConsumerContainers containers;
    private Admin admin;

    /** A consumer that reads its schemas from the registry at {@code registryUrl}. */
    ConsumerUnderTest(String registryUrl) {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.registryUrl = registryUrl;
        this.topic = Topic.of("test.consumer-" + unique, CounterIncremented.class, CounterReset.class);
        this.name = "consumer-" + unique;
        var stack = TestStack.get();
        provisionTopic();
        this.records = new RawKafka(stack.bootstrapServers());
        String schema = "consumer_" + unique;
        this.dataSource = EventingDatabase.inFreshSchema(schema, 4);
        this.jdbc = JdbcClient.create(dataSource);
        jdbc.sql("CREATE TABLE applied (sequence INT NOT NULL, event_id UUID NOT NULL)")
                .update();
        this.deadLetterProducers = new DefaultKafkaProducerFactory<>(
                ReliableProducer.config(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    ConsumerUnderTest() {
        this(TestStack.get().schemaRegistryUrl());
    }

    /** Creates the topic, unless it exists. */
    void provisionTopic() {
        provision(topic);
    }

    /** The second topic, created now if it is not yet. */
    synchronized Topic other() {
        if (other == null) {
            other = Topic.of(topic.name() + "-other", CounterIncremented.class, CounterReset.class);
            provision(other);
        }
        return other;
    }

    private static void provision(Topic topic) {
        new TopicProvisioner(
                        Map.of("bootstrap.servers", TestStack.get().bootstrapServers()),
                        new TopicSettings(PARTITIONS, (short) 1, 1, TopicSettings.FOREVER, Duration.ofDays(1)))
                .provision(List.of(topic), Duration.ofSeconds(30));
    }

    /** The handler fails on the event with this sequence number as listed, one failure per attempt, then works. */
    void failOn(int sequence, List<Failure> failures) {
        script.put(sequence, attempt -> attempt <= failures.size() ? failures.get(attempt - 1) : null);
    }

    /** The handler fails on the event with this sequence number as listed, then always with a bug. */
    void alwaysFailOn(int sequence, List<Failure> first) {
        script.put(sequence, attempt -> attempt <= first.size() ? first.get(attempt - 1) : Failure.BUG);
    }

    int attemptsOf(int sequence) {
        AtomicInteger count = attempts.get(sequence);
        return count == null ? 0 : count.get();
    }

    void start() {
        start(consumer());
    }

    /** Starts these consumers, of this test's topics, in place of {@link #consumer()}. */
    void start(EventConsumer... consumers) {
        containers = new EventConsumerContainers(
                List.of(consumers),
                Map.of("bootstrap.servers", TestStack.get().bootstrapServers()),
                SETTINGS,
                dataSource,
                transactions(),
                new KafkaTemplate<>(deadLetterProducers),
                meters,
                Clock.systemUTC(),
                serdes(),
                EventTracing.LOG_CONTEXT_ONLY);
        containers.start();
    }

    /** The listener the container would call, to hand it records directly. */
    BatchEventListener listener() {
        EventConsumer consumer = consumer();
        return new BatchEventListener(
                consumer,
                List.of(ConsumedTopic.of(
                        consumer,
                        topic.name(),
                        serdes().of(topic),
                        Map.of("bootstrap.servers", TestStack.get().bootstrapServers()),
                        meters)),
                dataSource,
                transactions(),
                new RecordFailures(SETTINGS.attempts(), DeadLetters.OUTAGES),
                meters,
                EventTracing.LOG_CONTEXT_ONLY);
    }

    /** A real Kafka consumer of the group, assigned every partition of the topic, to hand to {@link #listener()}. */
    KafkaConsumer<String, byte[]> kafkaConsumer() {
        KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(
                Map.of("bootstrap.servers", TestStack.get().bootstrapServers(), "group.id", name),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        kafka.assign(IntStream.range(0, PARTITIONS)
                .mapToObj(partition -> new TopicPartition(topic.name(), partition))
                .toList());
        return kafka;
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private EventSerdes serdes() {
        return new EventSerdes(new SchemaRegistryClient(registryUrl, Duration.ofSeconds(2)), false);
    }

    private EventConsumer consumer() {
        return applying(name, topic).build();
    }

    /** A consumer of these topics, under this name, whose handler applies each event as {@link #consumer()}'s does. */
    EventConsumer.Builder applying(String consumerName, Topic first, Topic... more) {
        return EventConsumer.of(consumerName, first, more).on(CounterIncremented.class, event -> {
            int sequence = event.payload().getSequence();
            int attempt =
                    attempts.computeIfAbsent(sequence, s -> new AtomicInteger()).incrementAndGet();
            Failure failure = script.getOrDefault(sequence, any -> null).apply(attempt);
            if (failure == Failure.OUTAGE) {
                // A real lost connection: PostgreSQL ends this backend, as it does when it shuts down.
                jdbc.sql("SELECT pg_terminate_backend(pg_backend_pid())")
                        .query()
                        .singleValue();
            } else if (failure == Failure.BUG) {
                throw new IllegalStateException("bug on sequence " + sequence + ", attempt " + attempt);
            }
            jdbc.sql("INSERT INTO applied (sequence, event_id) VALUES (?, ?)")
                    .params(sequence, event.envelope().eventId())
                    .update();
        });
    }

    void stop() {
        if (containers != null) {
            containers.stop();
            containers = null;
        }
    }

    /** An event with this sequence number on a partition of the topic, written by the real serde. */
    ProducerRecord<String, byte[]> increment(int partition, int sequence) {
        return increment(topic, partition, sequence);
    }

    /** An event with this sequence number on a partition of one of the test's topics. */
    ProducerRecord<String, byte[]> increment(Topic on, int partition, int sequence) {
        String key = "counter-" + partition;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                on.name(), partition, key, TestSerdes.of(on).toBytes(new CounterIncremented(key, sequence, 0, false)));
        Envelope.first("CounterIncremented", key, "test", Instant.now()).writeTo(record.headers());
        return record;
    }

    /** The offset a group committed on a partition of a topic; -1 when it committed none there. */
    long committed(String group, Topic of, int partition) throws Exception {
        synchronized (this) {
            if (admin == null) {
                admin = Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()));
            }
        }
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(new TopicPartition(of.name(), partition));
        return offset == null ? -1 : offset.offset();
    }

    List<Integer> applied() {
        return jdbc.sql("SELECT sequence FROM applied ORDER BY sequence")
                .query(Integer.class)
                .list();
    }

    List<ConsumerRecord<String, byte[]>> deadLetters() {
        return deadLetters(topic);
    }

    List<ConsumerRecord<String, byte[]>> deadLetters(Topic of) {
        return records.readAll(of.deadLetterTopic(), record -> true);
    }

    /** Each dead letter as {@code <original partition>@<original offset> after <attempts>: <reason>}. */
    List<String> deadLetterSummaries() {
        return deadLetters().stream()
                .map(dead ->
                        ByteBuffer.wrap(dead.headers()
                                                .lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION)
                                                .value())
                                        .getInt() + "@"
                                + ByteBuffer.wrap(dead.headers()
                                                .lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                                                .value())
                                        .getLong()
                                + " after "
                                + RawKafka.header(dead, DeadLetterHeaders.ATTEMPTS) + ": "
                                + RawKafka.header(dead, DeadLetterHeaders.REASON))
                .toList();
    }

    @Override
    public void close() {
        stop();
        if (admin != null) {
            admin.close();
        }
        records.close();
        deadLetterProducers.destroy();
        dataSource.close();
    }
}
