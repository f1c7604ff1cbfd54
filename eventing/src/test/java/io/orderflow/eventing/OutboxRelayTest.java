package io.orderflow.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.Records;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.autoconfigure.EventingSchema;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxRelaySettings;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.OutboxWriter;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.topic.TopicSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay against the real broker and PostgreSQL, without Spring: the framework-free part of the library. */
class OutboxRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DevStack stack = TestStack.get();
    private final OutboxWriter writer = new OutboxWriter();
    private final OutboxSignal committed = new OutboxSignal();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private HikariDataSource dataSource;
    private Topic topic;
    private Records records;

    @BeforeEach
    void freshOutboxAndTopic() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.jdbcUrl());
        config.setUsername(stack.databaseUser());
        config.setPassword(stack.databasePassword());
        config.setSchema("outbox_" + suffix);
        config.setMaximumPoolSize(12);
        dataSource = new HikariDataSource(config);
        new EventingSchema(dataSource, "outbox_" + suffix);
        topic = Topic.of("test.outbox-" + suffix, CounterIncremented.class);
        new TopicProvisioner(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new TopicSettings(3, (short) 1, 1, Duration.ofDays(1), Duration.ofDays(1)))
                .provision(List.of(topic), WAIT);
        records = new Records(stack.bootstrapServers());
    }

    @AfterEach
    void close() {
        relays.forEach(OutboxRelay::close);
        records.close();
        dataSource.close();
    }

    @Test
    void aLowerIdThatCommitsLaterIsStillPublished() throws Exception {
        OutboxRelay relay = relay();
        try (Connection early = open(); Connection late = open()) {
            long lowerId = append(early, "order-x", 1);
            long higherId = append(late, "order-y", 1);
            late.commit();
            assertThat(lowerId).isLessThan(higherId);

            assertThat(relay.publishBatch()).isEqualTo(1);
            early.commit();
            assertThat(relay.publishBatch()).isEqualTo(1);
        }

        assertThat(published()).containsOnlyKeys("order-x", "order-y");
        assertThat(outboxSize()).isZero();
    }

    @Test
    void anAggregateVersionIsPublishedAsAHeaderOnlyWhereTheWriterGaveOne() throws Exception {
        OutboxRelay relay = relay();
        try (Connection connection = open()) {
            writer.append(connection, TestSerdes.of(topic), "order-v", new CounterIncremented("order-v", 1, 0, false),
                    Envelope.first("CounterIncremented", "order-v", "outbox-test", Instant.now())
                            .withAggregateVersion(7));
            append(connection, "order-w", 1);
            connection.commit();
        }
        assertThat(relay.publishBatch()).isEqualTo(2);

        Map<String, Envelope> envelopes = records.readAll(topic.name(), record -> true).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, record -> Envelope.readFrom(record.headers())));
        assertThat(envelopes.get("order-v").aggregateVersion()).hasValue(7);
        assertThat(envelopes.get("order-w").aggregateVersion()).isEmpty();
    }

    @Test
    void writersOfOneAggregateWaitForEachOtherSoItsEventsLeaveInCommitOrder() throws Exception {
        OutboxRelay relay = relay();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection first = open()) {
            append(first, "order-z", 1);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (Connection connection = open()) {
                    append(connection, "order-z", 2);
                    connection.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);

            await().atMost(WAIT).until(this::aWriterWaitsForTheAggregateLock);
            assertThat(second).isNotDone();
            first.commit();
            second.get();
        } finally {
            executor.shutdown();
        }
        while (relay.publishBatch() > 0) {
            // drain
        }

        assertThat(published().get("order-z")).containsExactly(1, 2);
    }

    @Test
    void rowsCommittedWhileNoRelayRanArePublishedWhenARelayStarts() throws Exception {
        try (Connection connection = open()) {
            for (int sequence = 1; sequence <= 10; sequence++) {
                append(connection, "order-crash", sequence);
            }
            connection.commit();
        }

        relay().start();

        await().atMost(WAIT).until(() -> outboxSize() == 0);
        assertThat(published().get("order-crash")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void aCommitThroughTheOutboxWakesTheRelayLongBeforeItsNextPoll() throws Exception {
        try (Connection connection = open()) {
            append(connection, "order-wake", 1);
            connection.commit();
        }
        relay(new OutboxRelaySettings(500, Duration.ofMinutes(10), Duration.ofMillis(5), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(5))).start();
        // The first cycle publishes what is there; the relay then sleeps for up to ten minutes.
        await().atMost(WAIT).until(() -> outboxSize() == 0);

        Outbox outbox = new Outbox(dataSource, "outbox-test", Clock.systemUTC(), TestSerdes.all(), committed);
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status ->
                outbox.appendFirst(topic, "order-wake", new CounterIncremented("order-wake", 2, 0, false)));

        await().atMost(Duration.ofSeconds(20)).until(() -> outboxSize() == 0);
        assertThat(published().get("order-wake")).containsExactly(1, 2);
    }

    @Test
    void concurrentRelaysKeepEveryAggregatesEventsInOrderAndPublishEachOnce() throws Exception {
        int writers = 4;
        int aggregatesPerWriter = 5;
        int eventsPerAggregate = 100;
        for (int i = 0; i < 3; i++) {
            // Three relays stand for three processes: each has the signal of its own process.
            relay(new OutboxRelaySettings(50, Duration.ofMillis(100), Duration.ofMillis(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(1)), new OutboxSignal()).start();
        }
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            // Each aggregate has one writer, as an aggregate behind a row lock would.
            done.add(CompletableFuture.runAsync(() -> {
                try (Connection connection = open()) {
                    for (int sequence = 1; sequence <= eventsPerAggregate; sequence++) {
                        for (int a = 0; a < aggregatesPerWriter; a++) {
                            append(connection, "agg-" + writer + "-" + a, sequence);
                            connection.commit();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, executor));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        executor.shutdown();

        await().atMost(WAIT).until(() -> outboxSize() == 0);
        Map<String, List<Integer>> published = published();
        assertThat(published).hasSize(writers * aggregatesPerWriter);
        List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, eventsPerAggregate).boxed().toList();
        published.forEach((aggregate, sequences) -> assertThat(sequences).as(aggregate).isEqualTo(expected));
    }

    private boolean aWriterWaitsForTheAggregateLock() {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'")) {
            result.next();
            return result.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, List<Integer>> published() {
        List<ConsumerRecord<String, byte[]>> all = records.readAll(topic.name(), record -> true);
        return all.stream().collect(Collectors.groupingBy(ConsumerRecord::key, java.util.TreeMap::new,
                Collectors.mapping(record -> ((CounterIncremented) TestSerdes.of(topic)
                        .fromBytes("CounterIncremented", record.value())).getSequence(), Collectors.toList())));
    }

    private long append(Connection connection, String aggregate, int sequence) throws SQLException {
        var event = new CounterIncremented(aggregate, sequence, 0, false);
        writer.append(connection, TestSerdes.of(topic), aggregate, event,
                Envelope.first("CounterIncremented", aggregate, "outbox-test", Instant.now()));
        try (var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT currval(pg_get_serial_sequence('outbox', 'id'))")) {
            result.next();
            return result.getLong(1);
        }
    }

    private Connection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private long outboxSize() throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT count(*) FROM outbox")) {
            result.next();
            return result.getLong(1);
        }
    }

    private OutboxRelay relay() {
        return relay(OutboxRelaySettings.defaults());
    }

    private OutboxRelay relay(OutboxRelaySettings settings) {
        return relay(settings, committed);
    }

    private OutboxRelay relay(OutboxRelaySettings settings, OutboxSignal signal) {
        var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
        OutboxRelay relay = new OutboxRelay(dataSource, producer, settings, signal, new SimpleMeterRegistry());
        relays.add(relay);
        return relay;
    }
}
