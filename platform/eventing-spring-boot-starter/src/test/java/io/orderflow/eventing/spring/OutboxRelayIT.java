package io.orderflow.eventing.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.TestSerdes;
import io.orderflow.eventing.db.EventingSchema;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxRelaySettings;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.OutboxWriter;
import io.orderflow.eventing.outbox.ReliableProducer;
import io.orderflow.eventing.spring.autoconfigure.OutboxRelayLifecycle;
import io.orderflow.eventing.spring.outbox.Outbox;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay against the real broker and PostgreSQL, without Spring: the framework-free part of the library. */
class OutboxRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DevStack stack = TestStack.get();
    private final OutboxWriter writer = new OutboxWriter();
    private final OutboxSignal committed = new OutboxSignal();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HikariDataSource dataSource;
    private Topic topic;
    private RawKafka records;

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
        new EventingSchema(dataSource, "outbox_" + suffix).migrate();
        topic = Topic.of("test.outbox-" + suffix, CounterIncremented.class);
        new TopicProvisioner(
                        Map.of("bootstrap.servers", stack.bootstrapServers()),
                        new TopicSettings(3, (short) 1, 1, Duration.ofDays(1), Duration.ofDays(1)))
                .provision(List.of(topic), WAIT);
        records = new RawKafka(stack.bootstrapServers());
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
        try (Connection early = open();
                Connection late = open()) {
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
            writer.append(
                    connection,
                    TestSerdes.of(topic),
                    "order-v",
                    new CounterIncremented("order-v", 1, 0, false),
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
            CompletableFuture<Void> second = CompletableFuture.runAsync(
                    () -> {
                        try (Connection connection = open()) {
                            append(connection, "order-z", 2);
                            connection.commit();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    executor);

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
        relay(new OutboxRelaySettings(
                        500,
                        Duration.ofMinutes(10),
                        Duration.ofMillis(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)))
                .start();
        // The first cycle publishes what is there; the relay then sleeps for up to ten minutes.
        await().atMost(WAIT).until(() -> outboxSize() == 0);

        Outbox outbox = new Outbox(dataSource, "outbox-test", Clock.systemUTC(), TestSerdes.all(), committed);
        new TransactionTemplate(new DataSourceTransactionManager(dataSource))
                .executeWithoutResult(status ->
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
            relay(
                            new OutboxRelaySettings(
                                    50,
                                    Duration.ofMillis(100),
                                    Duration.ofMillis(5),
                                    Duration.ofSeconds(30),
                                    Duration.ofSeconds(10),
                                    Duration.ofSeconds(1)),
                            new OutboxSignal())
                    .start();
        }
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            // Each aggregate has one writer, as an aggregate behind a row lock would.
            done.add(CompletableFuture.runAsync(
                    () -> {
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
                    },
                    executor));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        executor.shutdown();

        await().atMost(WAIT).until(() -> outboxSize() == 0);
        Map<String, List<Integer>> published = published();
        assertThat(published).hasSize(writers * aggregatesPerWriter);
        List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, eventsPerAggregate)
                .boxed()
                .toList();
        published.forEach(
                (aggregate, sequences) -> assertThat(sequences).as(aggregate).isEqualTo(expected));
    }

    @Test
    void aRowThatCanNeverBeSentIsParkedAndTheRowsOfItsAggregateWaitBehindIt() throws Exception {
        // Given a row larger than its topic takes, a later row of its aggregate and a row of another aggregate (the
        // topic takes more than the producer's batch.size: below it, the producer splits a rejected batch for ever)
        Topic smallRecords = topicTakingRecordsUpTo(128 * 1024);
        OutboxRelay relay = relay();
        try (Connection connection = open()) {
            append(connection, smallRecords, "order-big", new CounterIncremented(randomText(300_000), 1, 0, false));
            append(connection, smallRecords, "order-big", new CounterIncremented("order-big", 2, 0, false));
            append(connection, smallRecords, "order-fine", new CounterIncremented("order-fine", 1, 0, false));
            connection.commit();
        }

        // When the relay has had a few cycles
        for (int cycle = 0; cycle < 3; cycle++) {
            relay.publishBatch();
        }

        // Then the other aggregate went out; nothing of the big row's aggregate did, out of order or at all
        assertThat(published(smallRecords)).containsOnlyKeys("order-fine");
        // and the big row is parked with its reason, visible to operators, while its aggregate's next row waits
        assertThat(parkedRows()).singleElement().satisfies(parked -> {
            assertThat(parked.get("aggregate_id")).isEqualTo("order-big");
            assertThat((String) parked.get("reason")).contains("RecordTooLargeException");
        });
        assertThat(outboxAggregates()).containsExactly("order-big");
        assertThat(meters.get("orderflow.outbox.parked").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aRowThatFailsForNowHoldsBackTheRowsOfItsAggregateBehindItUntilItIsSent() throws Exception {
        // Given an aggregate whose first send fails the way an offline partition makes it fail
        FailingSends producer = failingSends()
                .failing(
                        "order-late",
                        new org.apache.kafka.common.errors.TimeoutException("injected: partition offline"),
                        1);
        OutboxRelay relay = relay(OutboxRelaySettings.defaults(), producer);
        try (Connection connection = open()) {
            for (int sequence = 1; sequence <= 3; sequence++) {
                append(connection, "order-late", sequence);
            }
            connection.commit();
        }

        // When a cycle meets the failure
        relay.publishBatch();

        // Then nothing behind the failed row went out
        assertThat(producer.hasFailed("order-late")).isTrue();
        assertThat(published()).doesNotContainKey("order-late");
        // and later cycles send all of it, in order, without parking anything
        await().atMost(WAIT).until(() -> {
            relay.publishBatch();
            return outboxSize() == 0;
        });
        assertThat(published().get("order-late")).containsExactly(1, 2, 3);
        assertThat(parkedRows()).isEmpty();
    }

    @Test
    void aSendTheBrokerFailsWithAnUnexpectedErrorIsRetriedNeverParked() throws Exception {
        // Given an aggregate whose sends meet an error that is the broker's, not the record's (as during a restart)
        FailingSends producer = failingSends()
                .failing("order-unlucky", new UnknownServerException("injected: unexpected error on the broker"), 2);
        OutboxRelay relay = relay(
                new OutboxRelaySettings(
                        500,
                        Duration.ofMillis(100),
                        Duration.ofMillis(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1)),
                producer);
        try (Connection connection = open()) {
            append(connection, "order-unlucky", 1);
            append(connection, "order-unlucky", 2);
            connection.commit();
        }

        // When a cycle meets the error
        relay.publishBatch();

        // Then the row stays in the outbox to be retried, counted as a failure, not parked
        assertThat(producer.hasFailed("order-unlucky")).isTrue();
        assertThat(parkedRows()).isEmpty();
        assertThat(meters.get("orderflow.outbox.publish.failures").counter().count())
                .isEqualTo(1.0);
        // and once the error has passed, later cycles publish the whole aggregate, in order
        await().atMost(WAIT).until(() -> {
            relay.publishBatch();
            return outboxSize() == 0;
        });
        assertThat(published().get("order-unlucky")).containsExactly(1, 2);
        assertThat(parkedRows()).isEmpty();
    }

    @Test
    void healthyAggregatesKeepFlowingWhileABatchWorthOfOthersKeepsFailing() throws Exception {
        // Given more failing rows than a batch holds (their partition is offline), ahead of healthy ones
        int batchSize = 5;
        FailingSends producer = failingSends();
        List<String> failing = new ArrayList<>();
        try (Connection connection = open()) {
            for (int i = 0; i < 2 * batchSize; i++) {
                String stuck = aggregateOn(0, "order-stuck-" + i);
                failing.add(stuck);
                producer.failingAll(
                        stuck, new org.apache.kafka.common.errors.TimeoutException("injected: partition offline"));
                append(connection, stuck, 1);
            }
            for (int i = 0; i < 3; i++) {
                append(connection, aggregateOn(1 + i % 2, "order-healthy-" + i), 1);
            }
            connection.commit();
        }
        OutboxRelay relay = relay(
                new OutboxRelaySettings(
                        batchSize,
                        Duration.ofMillis(100),
                        Duration.ofMillis(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1)),
                producer);

        // When the relay keeps cycling, then the healthy aggregates go out while the failing ones still fail
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            relay.publishBatch();
            return published().keySet().stream()
                            .filter(key -> key.startsWith("order-healthy-"))
                            .count()
                    == 3;
        });
        assertThat(published().keySet()).noneMatch(failing::contains);
        assertThat(outboxAggregates()).containsExactlyInAnyOrderElementsOf(failing);
        assertThat(parkedRows()).isEmpty();

        // and once their partition is back, the failing ones go out too
        failing.forEach(producer::heal);
        await().atMost(WAIT).until(() -> {
            relay.publishBatch();
            return outboxSize() == 0;
        });
        assertThat(published().keySet()).containsAll(failing);
    }

    @Test
    void healthyAggregatesKeepTheirPaceWhileNewAggregatesKeepLandingOnAnOfflinePartition() throws Exception {
        // Given a partition that does not answer: its sends hang until the delivery timeout, as an offline one's do
        Duration sendTimeout = Duration.ofSeconds(3);
        TopicPartition offline = new TopicPartition(topic.name(), 0);
        FailingSends producer = failingSends().dead(offline, sendTimeout);
        OutboxRelay relay = relay(
                new OutboxRelaySettings(
                        50,
                        Duration.ofMillis(100),
                        Duration.ofMillis(5),
                        sendTimeout,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1)),
                producer);
        relay.start();
        // and a relay that has met it once (that first meeting costs a send timeout: nothing tells it sooner)
        List<String> stuck = new ArrayList<>(List.of(aggregateOn(0, "order-stuck-first")));
        appendThroughTheOutbox(stuck.get(0), 1);
        await().atMost(WAIT)
                .until(() -> meters.get("orderflow.outbox.publish.failures")
                                .counter()
                                .count()
                        >= 1);

        // When new aggregates keep landing on the offline partition, each beside a healthy one
        for (int i = 0; i < 10; i++) {
            String newlyStuck = aggregateOn(0, "order-stuck-" + i);
            String healthy = aggregateOn(1 + i % 2, "order-healthy-" + i);
            stuck.add(newlyStuck);
            appendThroughTheOutbox(newlyStuck, 1);
            appendThroughTheOutbox(healthy, 1);

            // Then each healthy one is on its topic in far less than a send timeout: no cycle waits for the
            // offline partition again (before, every cycle held a new aggregate of it and waited the full timeout)
            await().alias("healthy aggregate #" + (i + 1) + " (" + healthy + ") on its topic")
                    .atMost(sendTimeout.dividedBy(2))
                    .until(() -> producer.hasBeenAcknowledged(healthy));
        }
        assertThat(stuck).noneMatch(producer::hasBeenAcknowledged);
        assertThat(parkedRows()).isEmpty();

        // and once the partition is back, a probe finds it and the aggregates that waited for it go out
        producer.revive();
        await().atMost(WAIT).until(() -> outboxSize() == 0);
        assertThat(published().keySet()).containsAll(stuck);
    }

    @Test
    void aRelayStoppedAndStartedAgainKeepsPublishingAndAClosedOneRefusesToStart() throws Exception {
        // Given a relay that Spring stopped and started again (a context stop and start, a refresh)
        OutboxRelay relay = relay();
        OutboxRelayLifecycle lifecycle = new OutboxRelayLifecycle(relay);
        lifecycle.start();
        lifecycle.stop();
        lifecycle.start();

        // When a writer commits an event, then the restarted relay publishes it
        appendThroughTheOutbox("order-restart", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxSize() == 0);
        assertThat(published().get("order-restart")).containsExactly(1);

        // and a relay whose producer is closed says so instead of looping on it
        lifecycle.stop();
        relay.close();
        assertThatThrownBy(relay::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anInterruptedRelayNeitherSpinsNorStops() throws Exception {
        // Given an idle relay that only a commit of its process wakes before its ten-minute poll
        CountingConnections connections = new CountingConnections(dataSource);
        OutboxRelay relay = new OutboxRelay(
                connections,
                new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer()),
                new OutboxRelaySettings(
                        500,
                        Duration.ofMinutes(10),
                        Duration.ofMillis(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)),
                committed,
                meters);
        relays.add(relay);
        relay.start();
        await().atMost(WAIT).until(() -> connections.taken() > 0);

        // When its thread is interrupted
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("outbox-relay") && thread.isAlive())
                .findFirst()
                .orElseThrow();
        worker.interrupt();

        // Then it goes back to sleep instead of cycling without pause
        long takenBefore = connections.taken();
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> connections.taken() - takenBefore <= 4);
        // and a commit still wakes it
        appendThroughTheOutbox("order-interrupted", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxSize() == 0);
        assertThat(published().get("order-interrupted")).containsExactly(1);
    }

    /** An aggregate id starting with {@code prefix} whose records land on {@code partition} of the test topic. */
    private static String aggregateOn(int partition, String prefix) {
        for (int suffix = 0; ; suffix++) {
            String aggregate = prefix + "-" + suffix;
            if (FailingSends.partitionOf(aggregate, 3) == partition) {
                return aggregate;
            }
        }
    }

    private boolean aWriterWaitsForTheAggregateLock() {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'")) {
            result.next();
            return result.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, List<Integer>> published() {
        return published(topic);
    }

    private Map<String, List<Integer>> published(Topic from) {
        List<ConsumerRecord<String, byte[]>> all = records.readAll(from.name(), record -> true);
        return all.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        java.util.TreeMap::new,
                        Collectors.mapping(
                                record -> ((CounterIncremented)
                                                TestSerdes.of(topic).fromBytes("CounterIncremented", record.value()))
                                        .getSequence(),
                                Collectors.toList())));
    }

    private void appendThroughTheOutbox(String aggregate, int sequence) {
        Outbox outbox = new Outbox(dataSource, "outbox-test", Clock.systemUTC(), TestSerdes.all(), committed);
        new TransactionTemplate(new DataSourceTransactionManager(dataSource))
                .executeWithoutResult(status ->
                        outbox.appendFirst(topic, aggregate, new CounterIncremented(aggregate, sequence, 0, false)));
    }

    private Topic topicTakingRecordsUpTo(int maxMessageBytes) {
        Topic small = Topic.of(topic.name() + "-small", CounterIncremented.class);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(small.name(), 1, (short) 1)
                            .configs(Map.of("max.message.bytes", String.valueOf(maxMessageBytes)))))
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return small;
    }

    private static String randomText(int length) {
        var random = new java.util.Random(42);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        return text.toString();
    }

    private List<Map<String, Object>> parkedRows() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT * FROM outbox_parked ORDER BY id")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(Map.of(
                        "id",
                        result.getLong("id"),
                        "aggregate_id",
                        result.getString("aggregate_id"),
                        "reason",
                        result.getString("reason")));
            }
            return rows;
        }
    }

    private List<String> outboxAggregates() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT aggregate_id FROM outbox ORDER BY id")) {
            List<String> aggregates = new ArrayList<>();
            while (result.next()) {
                aggregates.add(result.getString(1));
            }
            return aggregates;
        }
    }

    private void append(Connection connection, Topic to, String aggregate, CounterIncremented event)
            throws SQLException {
        writer.append(
                connection,
                TestSerdes.of(to),
                aggregate,
                event,
                Envelope.first("CounterIncremented", aggregate, "outbox-test", Instant.now()));
    }

    private long append(Connection connection, String aggregate, int sequence) throws SQLException {
        var event = new CounterIncremented(aggregate, sequence, 0, false);
        writer.append(
                connection,
                TestSerdes.of(topic),
                aggregate,
                event,
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
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
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
        var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        return relay(settings, signal, producer);
    }

    private OutboxRelay relay(OutboxRelaySettings settings, Producer<String, byte[]> producer) {
        return relay(settings, committed, producer);
    }

    private OutboxRelay relay(OutboxRelaySettings settings, OutboxSignal signal, Producer<String, byte[]> producer) {
        OutboxRelay relay = new OutboxRelay(dataSource, producer, settings, signal, meters);
        relays.add(relay);
        return relay;
    }

    private FailingSends failingSends() {
        return new FailingSends(producerConfig());
    }

    private Map<String, Object> producerConfig() {
        return ReliableProducer.config(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000));
    }
}
