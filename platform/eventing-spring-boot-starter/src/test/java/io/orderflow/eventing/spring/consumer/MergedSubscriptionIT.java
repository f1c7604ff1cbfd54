package io.orderflow.eventing.spring.consumer;

import static io.orderflow.eventing.spring.consumer.ConsumerUnderTest.Failure.BUG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.RawKafka;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.inbox.InboxRetention;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * A topic read by a subscription of its own joins another subscription of the same service (order-service's three
 * subscriptions became one): nothing is lost, nothing applied or dead-lettered twice, during and after the move.
 */
class MergedSubscriptionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration INBOX_RETENTION = Duration.ofDays(35);

    @Test
    void aTopicThatJoinsAnotherSubscriptionGoesOnWhereItsOwnLeftIt() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            Topic other = consumer.other();
            String formerName = consumer.name + "-other";
            // Given the two topics read by two subscriptions, the second of which dead-lettered the last record of
            // its partition 1 (so its stored position there is behind its committed offset) ...
            consumer.alwaysFailOn(102, List.of(BUG));
            consumer.records.sendAll(List.of(
                    consumer.increment(0, 1),
                    consumer.increment(1, 2),
                    consumer.increment(other, 0, 101),
                    consumer.increment(other, 1, 103),
                    consumer.increment(other, 1, 102)));
            consumer.start(
                    consumer.applying(consumer.name, consumer.topic).build(),
                    consumer.applying(formerName, other).build());
            await().atMost(WAIT)
                    .until(() -> consumer.applied().size() == 4
                            && consumer.deadLetters(other).size() == 1
                            && consumer.committed(formerName, other, 1) == 2);
            consumer.stop();
            int attemptsOfTheDeadLetter = consumer.attemptsOf(102);
            // ... and the inbox has long forgotten what they applied
            Clock fiveWeeksLater = Clock.offset(Clock.systemUTC(), INBOX_RETENTION.plusDays(1));
            new InboxRetention(consumer.dataSource, INBOX_RETENTION, 100, fiveWeeksLater, consumer.meters).purge();

            // When one subscription under the first one's name reads both, and more events arrive on both
            consumer.records.sendAll(List.of(consumer.increment(0, 3), consumer.increment(other, 0, 104)));
            consumer.start(consumer.applying(consumer.name, consumer.topic, other)
                    .formerly(other, formerName)
                    .build());

            // Then it goes on where the former group left the partition with the dead letter, and says so to Kafka
            // at once (lag would otherwise count from the partition's first record until its next event) ...
            await().atMost(WAIT).until(() -> consumer.committed(consumer.name, other, 1) == 2);
            // ... and applies only the new events, up to one after the dead letter, which it does not try again
            consumer.records.sendAll(List.of(consumer.increment(other, 1, 105)));
            await().atMost(WAIT).until(() -> consumer.applied().containsAll(List.of(3, 104, 105)));
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 101, 103, 104, 105);
            assertThat(consumer.attemptsOf(102)).isEqualTo(attemptsOfTheDeadLetter);
            assertThat(consumer.deadLetters(other)).hasSize(1);
            // ... its events are recorded under the name they were recorded under before
            assertThat(consumer.jdbc
                            .sql("SELECT DISTINCT consumer || ' ' || topic FROM consumer_positions ORDER BY 1")
                            .query(String.class)
                            .list())
                    .containsExactly(consumer.name + " " + consumer.topic.name(), formerName + " " + other.name());

            // And the dead letter, replayed for the subscription that failed it, is applied by the one that took
            // its place
            consumer.failOn(102, List.of());
            ConsumerRecord<String, byte[]> letter = consumer.deadLetters(other).get(0);
            ProducerRecord<String, byte[]> replay = new ProducerRecord<>(
                    other.name(),
                    1,
                    letter.key(),
                    letter.value(),
                    new RecordHeaders(letter.headers().toArray()));
            replay.headers().remove(DeadLetterHeaders.REPLAY_FOR);
            replay.headers().add(DeadLetterHeaders.REPLAY_FOR, formerName.getBytes(StandardCharsets.UTF_8));
            consumer.records.sendAll(List.of(replay));
            await().atMost(WAIT).until(() -> consumer.applied().contains(102));
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 101, 102, 103, 104, 105);

            // And its own dead letters of the topic name the former subscription too, which both versions answer to
            consumer.alwaysFailOn(106, List.of(BUG));
            consumer.records.sendAll(List.of(consumer.increment(other, 0, 106)));
            await().atMost(WAIT).until(() -> consumer.deadLetters(other).size() == 2);
            assertThat(consumer.deadLetters(other))
                    .extracting(dead -> RawKafka.header(dead, DeadLetterHeaders.CONSUMER))
                    .containsExactly(formerName, formerName);
        }
    }

    @Test
    void whileAnInstanceStillRunsTheFormerSubscriptionEachEventIsAppliedOnce() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            Topic other = consumer.other();
            String formerName = consumer.name + "-other";
            // Given an instance of the old version, reading the second topic in a subscription of its own, and an
            // instance of the new, reading it in the merged subscription (a rolling upgrade half done)
            consumer.start(
                    consumer.applying(formerName, other).build(),
                    consumer.applying(consumer.name, consumer.topic, other)
                            .formerly(other, formerName)
                            .build());

            // When events arrive on both topics while both run
            List<ProducerRecord<String, byte[]>> events = new ArrayList<>();
            IntStream.rangeClosed(1, 300)
                    .forEach(sequence -> events.add(consumer.increment(other, sequence % 2, sequence)));
            IntStream.rangeClosed(1001, 1050)
                    .forEach(sequence -> events.add(consumer.increment(sequence % 2, sequence)));
            consumer.records.sendAll(events);

            // Then, once both have read every event, each was applied once: both instances record the second topic's
            // events under its former name, so each sees the other's inbox rows
            for (String group : List.of(formerName, consumer.name)) {
                for (int partition = 0; partition < ConsumerUnderTest.PARTITIONS; partition++) {
                    int p = partition;
                    await().atMost(WAIT).until(() -> consumer.committed(group, other, p) == 150);
                }
            }
            await().atMost(WAIT).until(() -> consumer.applied().containsAll(List.of(1049, 1050)));
            assertThat(consumer.applied())
                    .doesNotHaveDuplicates()
                    .hasSize(350)
                    .containsAll(IntStream.rangeClosed(1, 300).boxed().toList());
        }
    }
}
