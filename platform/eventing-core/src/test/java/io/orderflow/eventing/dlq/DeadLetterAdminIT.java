package io.orderflow.eventing.dlq;

import static io.orderflow.devstack.RawKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.topic.TopicSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter tools on the real broker, on dead letters written as the consumers' error handler writes them. */
class DeadLetterAdminIT {

    /** What a single broker allows, set explicitly: a topic the tools create must carry it, not the broker's. */
    private static final TopicSettings TOPICS =
            new TopicSettings(2, (short) 1, 1, TopicSettings.FOREVER, Duration.ofDays(1));

    private final String bootstrap = TestStack.get().bootstrapServers();
    private final String topic =
            "test.dlq-admin-" + UUID.randomUUID().toString().substring(0, 8);
    private final String deadLetters = topic + ".dlq";
    private RawKafka records;
    private DeadLetterAdmin admin;

    @BeforeEach
    void topics() throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            kafka.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(deadLetters, 2, (short) 1)))
                    .all()
                    .get();
        }
        records = new RawKafka(bootstrap);
        admin = new DeadLetterAdmin(Map.of("bootstrap.servers", bootstrap), TOPICS, 3, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        admin.close();
        records.close();
    }

    @Test
    void aDeadLetterShowsWhyItFailedWhereAndForWhom() {
        records.send(deadLetter("order-1", "PoisonRecordException: not valid Avro"));

        DeadLetter letter =
                all(admin, DeadLetterQuery.of(topic, null, null, null, null)).get(0);
        assertThat(letter.originalTopic()).isEqualTo(topic);
        assertThat(letter.key()).isEqualTo("order-1");
        assertThat(letter.eventType()).isEqualTo("OrderPlaced");
        assertThat(letter.consumer()).isEqualTo("payment-service");
        assertThat(letter.reason()).isEqualTo("PoisonRecordException: not valid Avro");
        assertThat(letter.attempts()).isEqualTo(1);
        assertThat(letter.status()).isEqualTo(DeadLetterStatus.PENDING);
        // Spring Kafka writes these as binary numbers.
        assertThat(letter.headers())
                .containsEntry("kafka_dlt-original-partition", "1")
                .containsEntry("kafka_dlt-original-offset", "42");
        assertThat(admin.show(letter.id()))
                .usingRecursiveComparison()
                .ignoringFields("value")
                .isEqualTo(letter);
        assertThat(all(admin, DeadLetterQuery.of(deadLetters, "AVRO", null, null, null)))
                .hasSize(1);
        assertThat(all(admin, DeadLetterQuery.of(deadLetters, "timeout", null, null, null)))
                .isEmpty();
        assertThat(all(admin, DeadLetterQuery.of(topic, null, "order-service", null, null)))
                .isEmpty();
        assertThat(admin.deadLetterTopics()).contains(deadLetters);
    }

    @Test
    void theTopicsTheToolsCreateCarryTheConfiguredReplication() throws Exception {
        // given a dead letter replayed as often as allowed, which the next replay quarantines
        ProducerRecord<String, byte[]> replayedTooOften = deadLetter("order-1", "IllegalStateException: again");
        replayedTooOften.headers().add(DeadLetterHeaders.REPLAY_COUNT, text("3"));
        records.send(replayedTooOften);
        DeadLetter letter =
                all(admin, DeadLetterQuery.of(topic, null, null, null, null)).get(0);

        // when
        assertThat(admin.replay(List.of(letter.id()), false).quarantined()).hasSize(1);

        // then the outcomes and quarantine topics it created say how many replicas a write needs, whatever the
        // broker's default
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (String created : List.of(DeadLetterAdmin.OUTCOMES_TOPIC, topic + DeadLetterAdmin.QUARANTINE_SUFFIX)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, created);
                ConfigEntry minInsync = kafka.describeConfigs(List.of(resource))
                        .all()
                        .get()
                        .get(resource)
                        .get("min.insync.replicas");
                assertThat(minInsync.source()).as(created).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                assertThat(minInsync.value()).isEqualTo("1");
            }
        }
    }

    @Test
    void purgingRefusesToDropPendingDeadLettersUnlessForcedAndThenLeavesNone() {
        List<DeadLetter> letters = threeDeadLetters();
        assertThat(letters).hasSize(3);
        ReplayPlan replayed = admin.replay(List.of(letters.get(0).id()), false);
        assertThat(replayed.replayed()).hasSize(1);

        assertThatThrownBy(() -> admin.purge(topic, false, false))
                .isInstanceOf(InvalidDeadLetterRequestException.class)
                .hasMessageContaining("2 dead letter(s) in " + deadLetters + " are pending");
        assertThat(admin.purge(topic, true, true)).isEqualTo(3);
        assertThat(all(admin, DeadLetterQuery.of(topic, null, null, null, null)))
                .hasSize(3);

        assertThat(admin.purge(topic, true, false)).isEqualTo(3);
        assertThat(all(admin, DeadLetterQuery.of(topic, null, null, null, null)))
                .isEmpty();
        assertThatThrownBy(() -> admin.show(letters.get(1).id()))
                .isInstanceOf(NoSuchDeadLetterException.class)
                .hasMessageContaining("purged");
        assertThatThrownBy(() -> admin.purge("no.such.topic", true, false))
                .hasMessageContaining("there is no dead-letter topic no.such.topic.dlq");
        // The replay stays where it went.
        assertThat(records.readAll(topic, RawKafka.keyed(letters.get(0).key())))
                .singleElement()
                .satisfies(record -> assertThat(header(record, DeadLetterHeaders.REPLAY_COUNT))
                        .isEqualTo("1"));
    }

    @Test
    void aPurgeDeletesNoDeadLetterItDidNotCheck() {
        // given a replayed dead letter, which a purge without force may drop,
        records.send(deadLetter("order-1", "IllegalStateException: boom"));
        admin.replay(DeadLetterQuery.of(topic, null, null, null, null), false, plan -> {});
        // and a consumer that dead-letters a record while the purge has checked and not deleted yet
        DeadLetterHooks consumerMeanwhile = new DeadLetterHooks() {
            @Override
            public void purgeChecked(String checked) {
                records.send(deadLetter("order-2", "written during the purge"));
            }
        };

        // when
        long purged;
        try (DeadLetterAdmin purging = admin(consumerMeanwhile)) {
            purged = purging.purge(topic, false, false);
        }

        // then the new dead letter is still there, pending
        assertThat(purged).isEqualTo(1);
        assertThat(all(admin, DeadLetterQuery.of(topic, null, null, null, null)))
                .singleElement()
                .satisfies(letter -> {
                    assertThat(letter.key()).isEqualTo("order-2");
                    assertThat(letter.status()).isEqualTo(DeadLetterStatus.PENDING);
                });
    }

    @Test
    void twoReplaysAtOnceReplayADeadLetterOnlyOnce() throws Exception {
        // given a pending dead letter
        records.send(deadLetter("order-1", "IllegalStateException: boom"));
        DeadLetterId id = all(admin, DeadLetterQuery.of(topic, null, null, null, null))
                .get(0)
                .id();
        // and the CLI replaying it too, while the dashboard has read it is pending and has sent nothing yet
        ExecutorService cli = Executors.newSingleThreadExecutor();
        AtomicReference<ReplayPlan> byTheCli = new AtomicReference<>();
        DeadLetterHooks cliMeanwhile = new DeadLetterHooks() {
            @Override
            public void outcomesRead() {
                if (byTheCli.get() == null) {
                    byTheCli.set(await(cli.submit(() -> {
                        try (DeadLetterAdmin other = admin(DeadLetterHooks.NONE)) {
                            return other.replay(List.of(id), false);
                        }
                    })));
                }
            }
        };

        // when
        ReplayPlan byTheDashboard;
        try (DeadLetterAdmin dashboard = admin(cliMeanwhile)) {
            byTheDashboard = dashboard.replay(List.of(id), false);
        } finally {
            cli.shutdownNow();
        }

        // then it went back once, and the one that did not send it says why
        assertThat(records.readAll(topic, RawKafka.keyed("order-1"))).hasSize(1);
        assertThat(byTheCli.get().replayed()).hasSize(1);
        assertThat(byTheDashboard.replayed()).isEmpty();
        assertThat(byTheDashboard.skipped())
                .singleElement()
                .satisfies(skip -> assertThat(skip.why()).startsWith("already replayed at"));
    }

    @Test
    void aListingIsNotCutShortBecauseTheTopicIsBig() {
        // given more dead letters than a chunk, and every chunk taking 20 s to read
        records.sendAll(IntStream.range(0, 6)
                .mapToObj(n -> deadLetter("order-" + n, "boom"))
                .toList());
        SteppedClock clock = new SteppedClock();
        DeadLetterHooks slowBroker = new DeadLetterHooks() {
            @Override
            public void chunkRead(int records) {
                clock.advance(Duration.ofSeconds(20));
            }
        };

        // when
        List<DeadLetter> listed;
        try (DeadLetterAdmin reading =
                new DeadLetterAdmin(Map.of("bootstrap.servers", bootstrap), TOPICS, 3, clock, slowBroker, 2)) {
            listed = all(reading, DeadLetterQuery.of(topic, null, null, null, null));
        }

        // then it kept reading while the reads went on, longer than any one read may take
        assertThat(listed).hasSize(6);
        assertThat(clock.instant()).isAfter(SteppedClock.START.plus(DeadLetterTopics.TIMEOUT));
    }

    @Test
    void aListingComesInPagesEachStartingAfterThePreviousOne() {
        // given five dead letters, and a sixth of another reason
        records.sendAll(IntStream.range(0, 5)
                .mapToObj(n -> deadLetter("order-" + n, "boom"))
                .toList());
        records.send(deadLetter("order-5", "other"));
        DeadLetterQuery booms = DeadLetterQuery.of(topic, "boom", null, null, null);

        // when listing two at a time
        DeadLetterPage first = admin.list(booms, Optional.empty(), 2);
        DeadLetterPage second = admin.list(booms, first.next(), 2);
        DeadLetterPage third = admin.list(booms, second.next(), 2);

        // then the pages hold every match once, in order, and the last one says there is no more
        assertThat(first.letters()).hasSize(2);
        assertThat(second.letters()).hasSize(2);
        assertThat(third.letters()).hasSize(1);
        assertThat(third.next()).isEmpty();
        List<DeadLetter> paged = new ArrayList<>(first.letters());
        paged.addAll(second.letters());
        paged.addAll(third.letters());
        assertThat(paged)
                .extracting(DeadLetter::id)
                .containsExactlyElementsOf(
                        all(admin, booms).stream().map(DeadLetter::id).toList());
        assertThat(first.next()).contains(first.letters().get(1).id());
        assertThatThrownBy(() -> admin.list(booms, Optional.empty(), DeadLetterAdmin.MAX_PAGE + 1))
                .isInstanceOf(InvalidDeadLetterRequestException.class);
    }

    @Test
    void aReplayByFilterHoldsOneChunkOfDeadLettersAtATime() {
        // given more pending dead letters than a chunk
        records.sendAll(IntStream.range(0, 5)
                .mapToObj(n -> deadLetter("order-" + n, "boom"))
                .toList());
        List<Integer> held = new CopyOnWriteArrayList<>();
        DeadLetterHooks watching = new DeadLetterHooks() {
            @Override
            public void replaying(int deadLetters) {
                held.add(deadLetters);
            }
        };

        // when
        try (DeadLetterAdmin replaying = new DeadLetterAdmin(
                Map.of("bootstrap.servers", bootstrap), TOPICS, 3, Clock.systemUTC(), watching, 2)) {
            replaying.replay(DeadLetterQuery.of(topic, "boom", null, null, null), false, plan -> {});
        }

        // then it went in chunks of two at most, and every dead letter went back once
        assertThat(held).containsExactly(2, 2, 1);
        assertThat(records.readAll(topic, record -> true)).hasSize(5);
        assertThat(all(admin, DeadLetterQuery.of(topic, null, null, null, "replayed")))
                .hasSize(5);
    }

    @Test
    void aReplayerFencedByAnotherOneStartedSinceReplaysWithANewProducer() {
        List<DeadLetter> letters = threeDeadLetters();
        assertThat(admin.replay(List.of(letters.get(0).id()), false).replayed()).hasSize(1);
        // The CLI beside the dashboard, say: same transactional id, so it fences the first.
        try (DeadLetterAdmin other =
                new DeadLetterAdmin(Map.of("bootstrap.servers", bootstrap), TOPICS, 3, Clock.systemUTC())) {
            assertThat(other.replay(List.of(letters.get(1).id()), false).replayed())
                    .hasSize(1);
        }

        assertThat(admin.replay(List.of(letters.get(2).id()), false).replayed()).hasSize(1);
        assertThat(all(admin, DeadLetterQuery.of(topic, null, null, null, "replayed")))
                .hasSize(3);
        assertThat(records.readAll(topic, record -> true)).hasSize(3);
    }

    private static List<DeadLetter> all(DeadLetterAdmin admin, DeadLetterQuery query) {
        DeadLetterPage page = admin.list(query, Optional.empty(), DeadLetterAdmin.MAX_PAGE);
        assertThat(page.next()).as("more than a page").isEmpty();
        return page.letters();
    }

    /** A clock that moves only when the test moves it. */
    private static final class SteppedClock extends Clock {

        static final Instant START = Instant.parse("2026-11-27T00:00:00Z");
        private final AtomicReference<Instant> now = new AtomicReference<>(START);

        void advance(Duration step) {
            now.updateAndGet(instant -> instant.plus(step));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static <T> T await(Future<T> result) {
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other replayer did not finish", e);
        }
    }

    private DeadLetterAdmin admin(DeadLetterHooks hooks) {
        return new DeadLetterAdmin(Map.of("bootstrap.servers", bootstrap), TOPICS, 3, Clock.systemUTC(), hooks, 500);
    }

    /** Three pending dead letters of the topic, as listed. */
    private List<DeadLetter> threeDeadLetters() {
        records.sendAll(List.of(
                deadLetter("order-1", "IllegalStateException: boom"),
                deadLetter("order-2", "IllegalStateException: boom"),
                deadLetter("order-3", "IllegalStateException: boom")));
        return all(admin, DeadLetterQuery.of(topic, null, null, null, null));
    }

    private ProducerRecord<String, byte[]> deadLetter(String key, String reason) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(deadLetters, key, "payload".getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(EventHeaders.EVENT_ID, text(UUID.randomUUID().toString()))
                .add(EventHeaders.EVENT_TYPE, text("OrderPlaced"))
                .add("kafka_dlt-original-topic", text(topic))
                .add(
                        "kafka_dlt-original-partition",
                        ByteBuffer.allocate(4).putInt(1).array())
                .add(
                        "kafka_dlt-original-offset",
                        ByteBuffer.allocate(8).putLong(42).array())
                .add(DeadLetterHeaders.ATTEMPTS, text("1"))
                .add(DeadLetterHeaders.REASON, text(reason))
                .add(DeadLetterHeaders.CONSUMER, text("payment-service"));
        return record;
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
