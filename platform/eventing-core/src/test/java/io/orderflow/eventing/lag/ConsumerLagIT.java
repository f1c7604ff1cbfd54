package io.orderflow.eventing.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ConsumerLagIT {

    private final String bootstrap = TestStack.get().bootstrapServers();
    private final String topic = "test.lag-" + UUID.randomUUID();
    private final String group = "test-lag-" + UUID.randomUUID();
    private final TopicPartition partition = new TopicPartition(topic, 0);

    @Test
    void aPausedConsumerFallsBehindInRecordsAndAgeAndCatchesUpWhenResumed() throws Exception {
        createTopic();
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, String> consumer = consumerOfTheGroup();
                ConsumerLag lag = consumerLag()) {
            consumer.assign(List.of(partition));
            send(producer, 5, now.minusSeconds(120));
            consumeAll(consumer, 5);

            PartitionLag caughtUp = only(lag.of(group));
            assertThat(caughtUp.records()).isZero();
            assertThat(caughtUp.behind()).isZero();

            // Paused: what arrives waits, and its oldest record ages.
            consumer.pause(List.of(partition));
            send(producer, 7, now.minusSeconds(60));
            PartitionLag behind = only(lag.of(group));
            assertThat(behind.committed()).isEqualTo(5);
            assertThat(behind.records()).isEqualTo(7);
            assertThat(behind.behind()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90));

            send(producer, 3, now.minusSeconds(10));
            PartitionLag further = only(lag.of(group));
            assertThat(further.records()).isEqualTo(10);
            assertThat(further.behind()).isGreaterThanOrEqualTo(behind.behind());

            consumer.resume(List.of(partition));
            consumeAll(consumer, 15);
            PartitionLag drained = only(lag.of(group));
            assertThat(drained.records()).isZero();
            assertThat(drained.behind()).isZero();
        }
    }

    @Test
    void aGroupThatCommittedNothingHasNoLagToReport() {
        try (ConsumerLag lag = consumerLag()) {
            assertThat(lag.of("test-lag-never-" + UUID.randomUUID())).isEmpty();
        }
    }

    @Test
    void aSubscribedGroupThatHasNotCommittedYetIsBehindByTheWholePartition() throws Exception {
        createTopic();
        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, String> consumer = consumerOfTheGroup();
                ConsumerLag lag = consumerLag()) {
            send(producer, 4, Instant.now().minusSeconds(30));
            // A member that holds the partition but whose first batch has not gone through.
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });

            PartitionLag waiting = only(lag.of(group));
            assertThat(waiting.committed()).isZero();
            assertThat(waiting.records()).isEqualTo(4);
            assertThat(waiting.behind()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void eachPartitionsAgeIsItsOldestCommittedRecordPastAbortedOnesAndBatchesLargerThanAFetch() throws Exception {
        createTopic(3);
        Instant now = Instant.now();
        String large = "x".repeat(30_000);
        try (KafkaProducer<String, String> producer = transactionalProducer();
                KafkaConsumer<String, String> consumer = consumerOfTheGroup();
                ConsumerLag lag = consumerLag()) {
            producer.initTransactions();
            // Partition 0: an aborted transaction first, older than anything readable, then a batch of records each
            // larger than the lag reader's fetch limit per partition.
            producer.beginTransaction();
            sendTo(producer, 0, 2, now.minusSeconds(300), "aborted");
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            sendTo(producer, 0, 3, now.minusSeconds(100), large);
            sendTo(producer, 1, 2, now.minusSeconds(50), "v");
            sendTo(producer, 2, 2, now.minusSeconds(20), "v");
            producer.commitTransaction();
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> start = new java.util.HashMap<>();
            for (int p = 0; p < 3; p++) {
                start.put(new TopicPartition(topic, p), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
            }
            consumer.commitSync(start);

            Map<Integer, PartitionLag> byPartition = new java.util.HashMap<>();
            lag.of(group).forEach(each -> byPartition.put(each.partition().partition(), each));

            assertThat(byPartition).containsOnlyKeys(0, 1, 2);
            assertThat(byPartition.get(0).behind()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(130));
            assertThat(byPartition.get(1).behind()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(80));
            assertThat(byPartition.get(2).behind()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(50));
        }
    }

    private void createTopic() throws Exception {
        createTopic(1);
    }

    private void createTopic(int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
        }
    }

    private KafkaProducer<String, String> transactionalProducer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "transactional.id", "test-lag-" + UUID.randomUUID()),
                new StringSerializer(),
                new StringSerializer());
    }

    private void sendTo(KafkaProducer<String, String> producer, int partition, int count, Instant at, String value) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, partition, at.toEpochMilli(), "k", value));
        }
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer());
    }

    /** A consumer of the group under test that commits only when told to, reading from the start. */
    private KafkaConsumer<String, String> consumerOfTheGroup() {
        return new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer());
    }

    private ConsumerLag consumerLag() {
        return new ConsumerLag(Map.of("bootstrap.servers", bootstrap), Clock.systemUTC());
    }

    private void send(KafkaProducer<String, String> producer, int count, Instant at) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, 0, at.toEpochMilli(), "k", "v" + i))
                    .get();
        }
    }

    /** Reads until the group's position is {@code offset}, then commits it. */
    private static void consumeAll(KafkaConsumer<String, String> consumer, long offset) {
        TopicPartition partition = consumer.assignment().iterator().next();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.position(partition) == offset;
        });
        consumer.commitSync();
    }

    private PartitionLag only(List<PartitionLag> lags) {
        assertThat(lags).hasSize(1);
        assertThat(lags.get(0).partition()).isEqualTo(partition);
        assertThat(lags.get(0).group()).isEqualTo(group);
        return lags.get(0);
    }
}
