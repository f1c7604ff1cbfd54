package io.orderflow.eventing.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.PartitionRefusedException;
import io.orderflow.eventing.inbox.InboxRetention;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

/** Where a consumer goes on from is kept with what it applied, not left to the broker's offset retention alone. */
class ConsumerPositionsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration INBOX_RETENTION = Duration.ofDays(35);

    @Test
    void aGroupWhoseOffsetsAreLostDoesNotApplyHistoryAgain() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest();
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()))) {
            // Given events applied long enough ago that the inbox has forgotten them
            consumer.records.sendAll(
                    List.of(consumer.increment(0, 1), consumer.increment(0, 2), consumer.increment(1, 3)));
            consumer.start();
            await().atMost(WAIT).until(() -> consumer.applied().size() == 3);
            consumer.stop();
            Clock fiveWeeksLater = Clock.offset(Clock.systemUTC(), INBOX_RETENTION.plusDays(1));
            new InboxRetention(consumer.dataSource, INBOX_RETENTION, 100, fiveWeeksLater, consumer.meters).purge();

            // When the group's committed offsets expire (or are deleted) and the consumer starts again
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .untilAsserted(() -> admin.deleteConsumerGroups(List.of(consumer.name))
                            .all()
                            .get());
            consumer.records.sendAll(List.of(consumer.increment(0, 4), consumer.increment(1, 5)));
            consumer.start();

            // Then it goes on where it was: only the new events are applied
            await().atMost(WAIT).until(() -> consumer.applied().containsAll(List.of(4, 5)));
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void recordsBehindTheStoredPositionAreNotAppliedAgainWhereverTheConsumerWasLeft() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest();
                KafkaConsumer<String, byte[]> kafka = consumer.kafkaConsumer();
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()))) {
            // Given a consumer that applied partition 0 up to offset 1, so long ago that the inbox forgot it (a
            // position stored before topic ids were kept, so without one)
            List<ProducerRecord<String, byte[]>> sent =
                    List.of(consumer.increment(0, 1), consumer.increment(0, 2), consumer.increment(0, 3));
            consumer.records.sendAll(sent);
            consumer.jdbc
                    .sql("INSERT INTO consumer_positions (consumer, topic, partition, next_offset) "
                            + "VALUES (?, ?, 0, 2)")
                    .params(consumer.name, consumer.topic.name())
                    .update();

            // When a batch from offset 0 reaches it all the same (it could not be moved on assignment: the
            // database was down then)
            consumer.listener().onMessage(List.of(at(sent.get(0), 0), at(sent.get(1), 1), at(sent.get(2), 2)), kafka);

            // Then only what is at its position or after is applied, and the position moves past it, now with the
            // topic's id
            assertThat(consumer.applied()).containsExactly(3);
            assertThat(consumer.jdbc
                            .sql("SELECT next_offset || ' ' || topic_id FROM consumer_positions "
                                    + "WHERE consumer = ?")
                            .param(consumer.name)
                            .query(String.class)
                            .single())
                    .isEqualTo("3 " + topicId(admin, consumer.topic.name()));
        }
    }

    @Test
    void aBatchOfATopicCreatedAgainIsRefusedEvenWhenTheConsumerWasNotCheckedOnAssignment() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest();
                KafkaConsumer<String, byte[]> kafka = consumer.kafkaConsumer()) {
            // Given a position on partition 0 taken on another topic of the same name, below this one's log end
            List<ProducerRecord<String, byte[]>> sent = List.of(consumer.increment(0, 1), consumer.increment(0, 2));
            consumer.records.sendAll(sent);
            consumer.jdbc
                    .sql("INSERT INTO consumer_positions (consumer, topic, partition, next_offset, topic_id) "
                            + "VALUES (?, ?, 0, 1, 'AAAAAAAAAAAAAAAAAAAAAA')")
                    .params(consumer.name, consumer.topic.name())
                    .update();
            BatchEventListener listener = consumer.listener();

            // When a batch from offset 0 reaches the consumer (it was not checked on assignment)
            assertThatThrownBy(() -> listener.onMessage(List.of(at(sent.get(0), 0), at(sent.get(1), 1)), kafka))
                    .isInstanceOf(BatchListenerFailedException.class)
                    .hasRootCauseInstanceOf(PartitionRefusedException.class);

            // Then nothing is applied or passed by, the partition is paused and refused where an operator sees it
            assertThat(consumer.applied()).isEmpty();
            assertThat(consumer.meters
                            .counter(
                                    "orderflow.consumer.behind.position",
                                    "consumer",
                                    consumer.name,
                                    "topic",
                                    consumer.topic.name())
                            .count())
                    .isZero();
            assertThat(kafka.paused()).containsExactly(new TopicPartition(consumer.topic.name(), 0));
            assertThat(consumer.meters
                            .get("orderflow.consumer.refused.partitions")
                            .tag("consumer", consumer.name)
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
            assertThat(consumer.jdbc
                            .sql("SELECT next_offset FROM consumer_positions WHERE consumer = ?")
                            .param(consumer.name)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }
    }

    @Test
    void aTopicDeletedAndCreatedAgainIsRefusedUntilAnOperatorAcceptsItNeverPassedBy() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest();
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()))) {
            // Given a consumer that applied three events on partition 0 and one on partition 1
            consumer.records.sendAll(List.of(
                    consumer.increment(0, 1),
                    consumer.increment(0, 2),
                    consumer.increment(0, 3),
                    consumer.increment(1, 4)));
            consumer.start();
            await().atMost(WAIT).until(() -> consumer.applied().size() == 4);
            consumer.stop();

            // When its topic is deleted and created again (or the cluster rebuilt), new events are written from
            // offset 0 again, below the stored positions, and the consumer starts
            Uuid before = topicId(admin, consumer.topic.name());
            admin.deleteTopics(List.of(consumer.topic.name())).all().get();
            await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains(consumer.topic.name()));
            consumer.provisionTopic();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> !topicId(admin, consumer.topic.name()).equals(before));
            consumer.records.sendAll(List.of(consumer.increment(0, 5), consumer.increment(1, 6)));
            consumer.start();

            // Then it refuses both partitions where an operator sees it, and passes nothing by as applied
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(consumer.meters
                                .counter(
                                        "orderflow.consumer.behind.position",
                                        "consumer",
                                        consumer.name,
                                        "topic",
                                        consumer.topic.name())
                                .count())
                        .as("new records passed by as applied before")
                        .isZero();
                assertThat(consumer.meters
                                .find("orderflow.consumer.refused.partitions")
                                .tag("consumer", consumer.name)
                                .gauge())
                        .as("refused partitions gauge")
                        .isNotNull()
                        .extracting(Gauge::value)
                        .isEqualTo(2.0);
            });
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 4);

            // And once the operator accepts the new topic (deletes the consumer's positions on it), the new
            // events are applied
            consumer.stop();
            consumer.jdbc
                    .sql("DELETE FROM consumer_positions WHERE consumer = ? AND topic = ?")
                    .params(consumer.name, consumer.topic.name())
                    .update();
            consumer.start();
            await().atMost(WAIT).until(() -> consumer.applied().size() == 6);
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    private static Uuid topicId(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .topicId();
    }

    private static ConsumerRecord<String, byte[]> at(ProducerRecord<String, byte[]> sent, long offset) {
        ConsumerRecord<String, byte[]> record =
                new ConsumerRecord<>(sent.topic(), sent.partition(), offset, sent.key(), sent.value());
        sent.headers().forEach(header -> record.headers().add(header));
        return record;
    }
}
