package io.orderflow.eventing.spring;

import static io.orderflow.devstack.RawKafka.header;
import static io.orderflow.devstack.RawKafka.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.TestSerdes;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.dlq.DeadLetter;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterId;
import io.orderflow.eventing.dlq.DeadLetterQuery;
import io.orderflow.eventing.dlq.DeadLetterStatus;
import io.orderflow.eventing.dlq.InvalidDeadLetterRequestException;
import io.orderflow.eventing.dlq.NoSuchDeadLetterException;
import io.orderflow.eventing.dlq.ReplayPlan;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.envelope.Traceparent;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.testevents.CounterReset;
import io.orderflow.eventing.topic.TopicSettings;
import io.orderflow.eventing.tracing.EventTracing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = CounterApp.class)
class ConsumerRuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_REPLAYS = 2;
    private static RawKafka records;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CounterApp.Failures failures;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void connect() {
        records = new RawKafka(TestStack.get().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        records.close();
    }

    @Test
    void appliesAnEventOnceWhenItIsDeliveredTwice() {
        String counter = RawKafka.uniqueKey("dup");
        ProducerRecord<String, byte[]> record = increment(counter, 1, 0);
        records.send(record);
        records.send(copy(record));

        await().atMost(WAIT)
                .until(() -> appliedCount(counter) >= 1
                        && records.readAll(CounterApp.ECHOES.name(), keyed(counter))
                                        .size()
                                >= 1);
        ProducerRecord<String, byte[]> marker = increment(counter, 2, 0);
        records.send(marker);
        await().atMost(WAIT).until(() -> appliedCount(counter) == 2);

        assertThat(appliedSequences(counter)).containsExactly(1, 2);
        assertThat(records.readAll(CounterApp.ECHOES.name(), keyed(counter))).hasSize(2);
        assertThat(meters.find("orderflow.consumer.handler.duration")
                        .tag("consumer", "counter-app")
                        .tag("event", "CounterIncremented")
                        .timer()
                        .count())
                .isPositive();
        assertThat(meters.find("orderflow.consumer.duplicates")
                        .tag("consumer", "counter-app")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void poisonRecordsGoStraightToTheDeadLetterTopicAndTheRecordsAfterThemAreProcessed() {
        String counter = RawKafka.uniqueKey("poison");
        ProducerRecord<String, byte[]> notAvro = increment(counter, 0, 0);
        notAvro = new ProducerRecord<>(
                notAvro.topic(), null, counter, "{not avro}".getBytes(StandardCharsets.UTF_8), notAvro.headers());
        ProducerRecord<String, byte[]> unknownType = increment(counter, 0, 0);
        unknownType.headers().remove(EventHeaders.EVENT_TYPE);
        unknownType.headers().add(EventHeaders.EVENT_TYPE, "CounterExploded".getBytes(StandardCharsets.UTF_8));
        byte[] valid = TestSerdes.of(CounterApp.COUNTERS).toBytes(new CounterIncremented(counter, 0, 0, false));
        ProducerRecord<String, byte[]> noEnvelope = new ProducerRecord<>(CounterApp.COUNTERS.name(), counter, valid);
        ProducerRecord<String, byte[]> unknownSchemaId = withValue(
                increment(counter, 0, 0),
                ByteBuffer.allocate(valid.length)
                        .put(valid)
                        .putInt(1, 0x7fff_fff0)
                        .array());
        ProducerRecord<String, byte[]> garbageAfterId = withValue(
                increment(counter, 0, 0),
                ByteBuffer.allocate(9).put(valid, 0, 5).putInt(0xffff_ffff).array());

        double deadLetteredBefore = deadLettered();
        records.sendAll(List.of(
                increment(counter, 1, 0),
                notAvro,
                increment(counter, 2, 0),
                unknownType,
                noEnvelope,
                unknownSchemaId,
                garbageAfterId,
                increment(counter, 3, 0)));

        await().atMost(WAIT).until(() -> appliedCount(counter) == 3);
        assertThat(appliedSequences(counter)).containsExactly(1, 2, 3);
        List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters(counter, 5);
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.REASON))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("unknown magic byte 0x7b"),
                        reason -> assertThat(reason).contains("unknown event type 'CounterExploded'"),
                        reason -> assertThat(reason).contains("missing header 'event-id'"),
                        reason -> assertThat(reason).contains("unknown schema id " + 0x7fff_fff0),
                        reason -> assertThat(reason).contains("not valid Avro for CounterIncremented"));
        for (ConsumerRecord<String, byte[]> record : dead) {
            assertThat(header(record, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
            assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(CounterApp.COUNTERS.name());
            assertThat(header(record, "kafka_dlt-original-offset")).isNotBlank();
            assertThat(header(record, "kafka_dlt-original-partition")).isNotBlank();
            assertThat(header(record, "kafka_dlt-exception-fqcn")).isNotBlank();
            assertThat(header(record, "kafka_dlt-exception-message")).isNotBlank();
            assertThat(Instant.parse(header(record, DeadLetterHeaders.FAILED_AT)))
                    .isBefore(Instant.now());
        }
        assertThat(dead.get(0).value()).isEqualTo("{not avro}".getBytes(StandardCharsets.UTF_8));
        assertThat(deadLettered() - deadLetteredBefore).isEqualTo(5);
        assertThat(meters.find("orderflow.dlq.records")
                        .tag("topic", CounterApp.COUNTERS.name())
                        .counters())
                .extracting(meter -> meter.getId().getTag("reason"))
                .contains("PoisonRecordException", "InvalidEnvelopeException");
    }

    private double deadLettered() {
        return meters.find("orderflow.dlq.records").tag("topic", CounterApp.COUNTERS.name()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static ProducerRecord<String, byte[]> withValue(ProducerRecord<String, byte[]> record, byte[] value) {
        return new ProducerRecord<>(record.topic(), null, record.key(), value, record.headers());
    }

    @Test
    void aTransientFailureIsRetriedAndAppliedOnce() {
        String counter = RawKafka.uniqueKey("transient");
        ProducerRecord<String, byte[]> flaky = increment(counter, 1, 2);
        records.send(flaky);

        await().atMost(WAIT).until(() -> appliedCount(counter) == 1);
        assertThat(failures.attemptsOf(eventId(flaky))).isEqualTo(3);
        assertThat(records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter)))
                .isEmpty();
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterItsRetriesWithoutBlockingThePartition() {
        String counter = RawKafka.uniqueKey("failing");
        ProducerRecord<String, byte[]> doomed = increment(counter, 2, 1_000);
        records.sendAll(List.of(increment(counter, 1, 0), doomed, increment(counter, 3, 0)));

        await().atMost(WAIT).until(() -> appliedCount(counter) == 2);
        assertThat(appliedSequences(counter)).containsExactly(1, 3);
        List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters(counter, 1);
        assertThat(header(dead.get(0), DeadLetterHeaders.ATTEMPTS)).isEqualTo("4");
        // Four deliveries; the first also ran inside the whole batch before the record was isolated.
        assertThat(header(dead.get(0), DeadLetterHeaders.REASON)).contains("injected failure 5 of 1000");
        assertThat(failures.attemptsOf(eventId(doomed))).isEqualTo(5);
        // The envelope travels with the dead letter, so it can be replayed as it was.
        assertThat(header(dead.get(0), EventHeaders.EVENT_ID))
                .isEqualTo(eventId(doomed).toString());
    }

    @Test
    void aRecordFailingBecauseTheDatabaseIsUnavailableIsRetriedPastTheLimitAndNeverDeadLettered() {
        String counter = RawKafka.uniqueKey("outage");
        ProducerRecord<String, byte[]> record = record(counter, new CounterIncremented(counter, 1, 8, true));
        records.sendAll(List.of(record, increment(counter, 2, 0)));

        await().atMost(WAIT).until(() -> appliedCount(counter) == 2);
        assertThat(appliedSequences(counter)).containsExactly(1, 2);
        // The limit is 4 attempts; an outage is not the record's fault.
        assertThat(failures.attemptsOf(eventId(record))).isEqualTo(9);
        assertThat(records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter)))
                .isEmpty();
    }

    @Test
    void aWholePollBatchIsHandledInOneDatabaseTransaction() {
        String counter = RawKafka.uniqueKey("batch");
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            batch.add(increment(counter, i, 0));
        }
        records.sendAll(batch);

        await().atMost(WAIT).until(() -> appliedCount(counter) == 2000);
        long transactions = jdbc.sql("SELECT count(DISTINCT tx_id) FROM applied WHERE counter_id = ?")
                .param(counter)
                .query(Long.class)
                .single();
        assertThat(transactions).isLessThanOrEqualTo(2000 / 20);
        assertThat(appliedSequences(counter)).isSorted().hasSize(2000);
    }

    @Test
    void theBeforeEachBatchStepRunsFirstInEveryTransactionWithTheBatchsNewEventsOnly() {
        String counter = RawKafka.uniqueKey("first");
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            batch.add(increment(counter, i, 0));
        }
        batch.add(batch.get(0));
        records.sendAll(batch);

        await().atMost(WAIT).until(() -> appliedCount(counter) == 300);
        List<Map<String, Object>> transactions =
                jdbc.sql("""
                        SELECT a.tx_id, count(*) AS applied, min(a.step) AS first_applied,
                               (SELECT count(*) FROM batch_starts b WHERE b.tx_id = a.tx_id) AS starts,
                               (SELECT max(b.events) FROM batch_starts b WHERE b.tx_id = a.tx_id) AS events,
                               (SELECT max(b.step) FROM batch_starts b WHERE b.tx_id = a.tx_id) AS start_step
                        FROM applied a WHERE a.counter_id = ? GROUP BY a.tx_id""").param(counter).query().listOfRows();
        assertThat(transactions).isNotEmpty().allSatisfy(tx -> {
            assertThat(number(tx, "starts")).isEqualTo(1);
            assertThat(number(tx, "start_step")).isLessThan(number(tx, "first_applied"));
            assertThat(number(tx, "events")).isEqualTo(number(tx, "applied"));
        });
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    @Test
    void anEventTypeOfTheTopicWithoutAHandlerIsSkippedNotDeadLettered() {
        String counter = RawKafka.uniqueKey("skip");
        records.sendAll(List.of(record(counter, new CounterReset(counter)), increment(counter, 1, 0)));

        await().atMost(WAIT).until(() -> appliedCount(counter) == 1);
        assertThat(records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter)))
                .isEmpty();
    }

    @Test
    void aDeadLetterReplayedAfterItsFixIsAppliedOnceAndCannotBeReplayedTwice() {
        String counter = RawKafka.uniqueKey("replay-fixed");
        ProducerRecord<String, byte[]> broken = increment(counter, 1, 1_000);
        records.send(broken);
        DeadLetter letter = awaitPendingDeadLetters(counter, 1).get(0);
        assertThat(letter.consumer()).isEqualTo("counter-app");
        assertThat(letter.eventId()).isEqualTo(eventId(broken).toString());
        assertThat(letter.reason()).contains("injected failure");
        assertThat(letter.replayCount()).isZero();

        try (DeadLetterAdmin admin = admin()) {
            ReplayPlan dryRun = admin.replay(List.of(letter.id()), true);
            assertThat(dryRun.replayed()).singleElement().satisfies(replay -> {
                assertThat(replay.toTopic()).isEqualTo(CounterApp.COUNTERS.name());
                assertThat(replay.replayCount()).isEqualTo(1);
            });
            assertThat(admin.show(letter.id()).status()).isEqualTo(DeadLetterStatus.PENDING);

            failures.fix(eventId(broken));
            ReplayPlan replayed = admin.replay(List.of(letter.id()), false);
            assertThat(replayed.replayed()).hasSize(1);
            await().atMost(WAIT).until(() -> appliedCount(counter) == 1);
            assertThat(admin.show(letter.id()).status()).isEqualTo(DeadLetterStatus.REPLAYED);
            assertThat(admin.show(letter.id()).outcome().orElseThrow().detail())
                    .isEqualTo("to " + CounterApp.COUNTERS.name() + " as replay 1");

            // Asked again, by id or by its reason, it is not sent a second time.
            ReplayPlan again = admin.replay(List.of(letter.id()), false);
            assertThat(again.replayed()).isEmpty();
            assertThat(again.skipped())
                    .singleElement()
                    .satisfies(skip -> assertThat(skip.why()).startsWith("already replayed at"));
            assertThat(replayByFilter(admin, byKey(counter)).replayed()).isEmpty();
        }
        ProducerRecord<String, byte[]> marker = increment(counter, 2, 0);
        records.send(marker);
        await().atMost(WAIT).until(() -> appliedCount(counter) == 2);
        assertThat(appliedSequences(counter)).containsExactly(1, 2);
        List<ConsumerRecord<String, byte[]>> replays =
                records.readAll(CounterApp.COUNTERS.name(), keyed(counter)).stream()
                        .filter(record -> record.headers().lastHeader(DeadLetterHeaders.REPLAY_COUNT) != null)
                        .toList();
        assertThat(replays).singleElement().satisfies(record -> {
            assertThat(header(record, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("1");
            assertThat(header(record, DeadLetterHeaders.REPLAYED_FROM))
                    .isEqualTo(letter.id().toString());
            assertThat(header(record, DeadLetterHeaders.REPLAY_FOR)).isEqualTo("counter-app");
            assertThat(header(record, EventHeaders.EVENT_ID))
                    .isEqualTo(eventId(broken).toString());
            assertThat(record.headers().lastHeader(DeadLetterHeaders.REASON)).isNull();
        });
    }

    @Test
    void aRecordThatStillFailsIsQuarantinedOnceItHasBeenReplayedTheMostTimesAllowed() {
        String counter = RawKafka.uniqueKey("replay-broken");
        ProducerRecord<String, byte[]> broken = increment(counter, 1, 1_000);
        records.send(broken);
        try (DeadLetterAdmin admin = admin()) {
            // Replayed by its reason, as an operator would after a fix that did not fix it.
            for (int replay = 1; replay <= MAX_REPLAYS; replay++) {
                DeadLetter letter = awaitPendingDeadLetters(counter, 1).get(0);
                assertThat(letter.replayCount()).isEqualTo(replay - 1);
                ReplayPlan plan = replayByFilter(admin, byKey(counter));
                assertThat(plan.replayed())
                        .singleElement()
                        .satisfies(sent -> assertThat(sent.letter().id()).isEqualTo(letter.id()));
            }
            DeadLetter last = awaitPendingDeadLetters(counter, 1).get(0);
            assertThat(last.replayCount()).isEqualTo(MAX_REPLAYS);

            ReplayPlan plan = replayByFilter(admin, byKey(counter));
            assertThat(plan.replayed()).isEmpty();
            assertThat(plan.quarantined()).extracting(DeadLetter::id).containsExactly(last.id());
            assertThat(admin.show(last.id()).status()).isEqualTo(DeadLetterStatus.QUARANTINED);
            assertThat(replayByFilter(admin, byKey(counter)).replayed()).isEmpty();
        }
        List<ConsumerRecord<String, byte[]>> quarantined =
                records.readAll(CounterApp.COUNTERS.name() + DeadLetterAdmin.QUARANTINE_SUFFIX, keyed(counter));
        assertThat(quarantined)
                .singleElement()
                .satisfies(record -> assertThat(header(record, EventHeaders.EVENT_ID))
                        .isEqualTo(eventId(broken).toString()));
        assertThat(appliedCount(counter)).isZero();
        assertThat(records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter)))
                .hasSize(MAX_REPLAYS + 1);
    }

    @Test
    void anUnknownIdAMalformedFilterOrAnUnknownTopicIsRefusedAndNothingIsReplayed() {
        String counter = RawKafka.uniqueKey("replay-refused");
        records.send(increment(counter, 1, 1_000));
        DeadLetter letter = awaitPendingDeadLetters(counter, 1).get(0);
        DeadLetterId unknown = new DeadLetterId(letter.id().topic(), letter.id().partition(), 9_999_999);
        try (DeadLetterAdmin admin = admin()) {
            assertThatThrownBy(() -> admin.replay(List.of(letter.id(), unknown), false))
                    .isInstanceOf(NoSuchDeadLetterException.class)
                    .hasMessageContaining("no dead letter " + unknown + ": the partition ends at offset");
            assertThatThrownBy(() ->
                            admin.replay(List.of(new DeadLetterId(letter.id().topic(), 999, 0)), false))
                    .isInstanceOf(NoSuchDeadLetterException.class)
                    .hasMessageContaining("has no partition 999");
            assertThatThrownBy(() -> DeadLetterId.parse("test.counters.dlq:zero:1"))
                    .isInstanceOf(InvalidDeadLetterRequestException.class)
                    .hasMessageContaining("malformed dead-letter id");
            assertThatThrownBy(() -> DeadLetterId.parse("test.counters:0:1"))
                    .hasMessageContaining("is not a dead-letter topic");
            assertThatThrownBy(() -> replayByFilter(admin, DeadLetterQuery.of("no.such.topic", null, null, null, null)))
                    .isInstanceOf(InvalidDeadLetterRequestException.class)
                    .hasMessageContaining("there is no dead-letter topic no.such.topic.dlq");
            assertThatThrownBy(() -> DeadLetterQuery.of(null, null, null, null, "done"))
                    .hasMessageContaining("unknown dead-letter status 'done'");
            assertThatThrownBy(() -> DeadLetterQuery.of(null, " ", null, null, null))
                    .hasMessageContaining("an empty filter");
            assertThatThrownBy(() -> replayByFilter(admin, DeadLetterQuery.of(null, null, null, null, "replayed")))
                    .hasMessageContaining("only pending dead letters are replayed by a filter");

            assertThat(admin.show(letter.id()).status()).isEqualTo(DeadLetterStatus.PENDING);
        }
        assertThat(records.readAll(CounterApp.COUNTERS.name(), keyed(counter))).hasSize(1);
    }

    @Test
    void anEventIsHandledInItsTraceWithTheSagaInTheLogContextAndWhatItCausesStaysInTheTrace() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger handlerLog = (Logger) LoggerFactory.getLogger(CounterApp.class);
        handlerLog.addAppender(lines);
        try {
            String counter = RawKafka.uniqueKey("traced");
            ProducerRecord<String, byte[]> traced = increment(counter, 1, 0);
            Traceparent sender = Traceparent.newTrace();
            traced.headers().remove(EventHeaders.TRACEPARENT);
            traced.headers().add(EventHeaders.TRACEPARENT, sender.toString().getBytes(StandardCharsets.UTF_8));
            records.send(traced);

            await().atMost(WAIT)
                    .until(() -> records.readAll(CounterApp.ECHOES.name(), keyed(counter))
                                    .size()
                            == 1);
            ILoggingEvent applied = lines.list.stream()
                    .filter(line -> line.getFormattedMessage().equals("Applied counter " + counter + " #1"))
                    .findFirst()
                    .orElseThrow();
            assertThat(applied.getMDCPropertyMap())
                    .containsEntry(EventTracing.TRACE_ID, sender.traceId())
                    .containsEntry(EventTracing.CORRELATION_ID, counter)
                    .containsKey(EventTracing.SPAN_ID);
            String handlerSpan = applied.getMDCPropertyMap().get(EventTracing.SPAN_ID);
            assertThat(handlerSpan).isNotEqualTo(sender.spanId());

            Traceparent echo = Traceparent.parse(header(
                    records.readAll(CounterApp.ECHOES.name(), keyed(counter)).get(0), EventHeaders.TRACEPARENT));
            assertThat(echo.traceId()).isEqualTo(sender.traceId());
            assertThat(echo.spanId()).isEqualTo(handlerSpan);
        } finally {
            handlerLog.detachAppender(lines);
        }
    }

    @Test
    void aReplayMeantForAnotherConsumerOfTheTopicIsPassedBy() {
        String counter = RawKafka.uniqueKey("replay-for-another");
        ProducerRecord<String, byte[]> forAnother = increment(counter, 1, 0);
        forAnother.headers().add(DeadLetterHeaders.REPLAY_FOR, "another-service".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> forUs = increment(counter, 2, 0);
        forUs.headers().add(DeadLetterHeaders.REPLAY_FOR, "counter-app".getBytes(StandardCharsets.UTF_8));
        double passedBy =
                meters.get("orderflow.consumer.replays.for.others").counter().count();
        records.sendAll(List.of(forAnother, forUs));

        await().atMost(WAIT).until(() -> appliedCount(counter) == 1);
        assertThat(appliedSequences(counter)).containsExactly(2);
        assertThat(meters.get("orderflow.consumer.replays.for.others").counter().count())
                .isEqualTo(passedBy + 1);
    }

    private static DeadLetterAdmin admin() {
        return new DeadLetterAdmin(
                Map.of("bootstrap.servers", TestStack.get().bootstrapServers()),
                TopicSettings.defaults(),
                MAX_REPLAYS,
                Clock.systemUTC());
    }

    /** The pending dead letters of one counter (its key), once there are {@code count} of them. */
    private List<DeadLetter> awaitPendingDeadLetters(String counter, int count) {
        try (DeadLetterAdmin admin = admin()) {
            await().atMost(WAIT).until(() -> pendingOf(admin, counter).size() >= count);
            return pendingOf(admin, counter);
        }
    }

    private static List<DeadLetter> pendingOf(DeadLetterAdmin admin, String counter) {
        return admin.list(byKey(counter), Optional.empty(), DeadLetterAdmin.MAX_PAGE)
                .letters();
    }

    /** A replay by filter, its chunks as one plan: a few dead letters here. */
    private static ReplayPlan replayByFilter(DeadLetterAdmin admin, DeadLetterQuery filter) {
        List<ReplayPlan> chunks = new ArrayList<>();
        admin.replay(filter, false, chunks::add);
        return new ReplayPlan(
                false,
                chunks.stream().flatMap(chunk -> chunk.replayed().stream()).toList(),
                chunks.stream().flatMap(chunk -> chunk.quarantined().stream()).toList(),
                chunks.stream().flatMap(chunk -> chunk.skipped().stream()).toList());
    }

    /** Pending dead letters of one counter that failed with an injected failure. */
    private static DeadLetterQuery byKey(String counter) {
        return new DeadLetterQuery(
                Optional.of(CounterApp.COUNTERS.name()),
                Optional.of("injected failure"),
                Optional.of("counter-app"),
                Optional.of(counter),
                Optional.of(DeadLetterStatus.PENDING));
    }

    private List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String counter, int count) {
        await().atMost(WAIT)
                .until(() -> records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter))
                                .size()
                        >= count);
        return records.readAll(CounterApp.COUNTERS.deadLetterTopic(), keyed(counter));
    }

    private int appliedCount(String counter) {
        return jdbc.sql("SELECT count(*) FROM applied WHERE counter_id = ?")
                .param(counter)
                .query(Integer.class)
                .single();
    }

    private List<Integer> appliedSequences(String counter) {
        return jdbc.sql("SELECT sequence FROM applied WHERE counter_id = ? ORDER BY sequence")
                .param(counter)
                .query(Integer.class)
                .list();
    }

    static ProducerRecord<String, byte[]> increment(String counter, int sequence, int failTimes) {
        return record(counter, new CounterIncremented(counter, sequence, failTimes, false));
    }

    static ProducerRecord<String, byte[]> record(String key, org.apache.avro.specific.SpecificRecord event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                CounterApp.COUNTERS.name(),
                key,
                TestSerdes.of(CounterApp.COUNTERS).toBytes(event));
        Envelope.first(event.getSchema().getName(), key, "test", Instant.now()).writeTo(record.headers());
        return record;
    }

    private static ProducerRecord<String, byte[]> copy(ProducerRecord<String, byte[]> record) {
        return new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers());
    }

    private static UUID eventId(ProducerRecord<String, byte[]> record) {
        return UUID.fromString(
                new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8));
    }
}
