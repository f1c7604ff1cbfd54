package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack on three Kafka nodes: every topic the system uses has three replicas and needs two for a write,
 * the internal ones and those created with the broker's defaults included, so a node can die while writes go on.
 */
class ReplicatedStackIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Path directory;
    private static DevStack stack;
    private static Admin admin;

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("orderflow-cluster-");
        stack = DevStack.start(StackSettings.forTests(directory).withBrokers(3), "256m");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        stack.close();
        DevStack.wipe(directory);
    }

    @Test
    void everyTopicHasThreeReplicasAndAWriteNeedsTwo() throws Exception {
        assertThat(stack.kafka().orElseThrow().size()).isEqualTo(3);
        assertThat(admin.describeCluster().nodes().get()).hasSize(3);
        String topic = "test.replicated-" + UUID.randomUUID();
        // Created with the broker's defaults, as Kafka Streams' internal and the dead-letter outcome topics are.
        admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty())))
                .all()
                .get();
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "order-1", "placed"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = consumer("test-group-" + UUID.randomUUID())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }

        Replication.assertReplicated(
                admin, List.of(topic, "_schemas", "__consumer_offsets", "__transaction_state"), 3, 2);
        assertThat(stack.serviceEnvironment())
                .containsEntry(StackSettings.KAFKA_REPLICATION_FACTOR, "3")
                .containsEntry(StackSettings.KAFKA_MIN_INSYNC_REPLICAS, "2");
        assertThat(stack.springBootProperties())
                .containsEntry("orderflow.eventing.topics.replication-factor", "3")
                .containsEntry("orderflow.eventing.topics.min-insync-replicas", "2");
    }

    @Test
    void writesGoOnWhileANodeIsDownAndItCatchesUpWhenBack() throws Exception {
        String topic = "test.node-down-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get();
        KafkaBroker third = stack.kafka().orElseThrow().nodes().get(2);

        third.kill();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "order-" + i, "placed"))
                        .get();
            }
        }
        third.restart();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(admin.describeTopics(Set.of(topic))
                                .allTopicNames()
                                .get()
                                .get(topic)
                                .partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3)));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        60_000),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "test-" + UUID.randomUUID()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group),
                new StringDeserializer(),
                new StringDeserializer());
    }
}
