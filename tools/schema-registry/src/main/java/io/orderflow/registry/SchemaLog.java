package io.orderflow.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's durable state: a compacted Kafka topic of one partition whose keys name a subject version or a
 * compatibility setting and whose values are their latest state, in the JSON layout Confluent's registry uses.
 * Replaying it from the start rebuilds the registry exactly, ids included.
 */
final class SchemaLog implements AutoCloseable {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, String> producer;

    /**
     * @param clientConfig the Kafka client settings: bootstrap servers, and security and any other client setting
     *                     the cluster needs; the log's own settings go on top
     */
    SchemaLog(Map<String, ?> clientConfig, String topic, short replicationFactor) {
        this.topic = topic;
        this.clientConfig = Map.copyOf(clientConfig);
        createTopicIfMissing(replicationFactor);
        Map<String, Object> producerConfig = new HashMap<>(this.clientConfig);
        producerConfig.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.CLIENT_ID_CONFIG,
                "schema-registry",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000L));
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    }

    /** Key and value of a schema version. */
    static Entry schemaEntry(String subject, int version, int id, String schema, boolean deleted) {
        ObjectNode key = json.createObjectNode()
                .put("keytype", "SCHEMA")
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1);
        ObjectNode value = json.createObjectNode()
                .put("subject", subject)
                .put("version", version)
                .put("id", id)
                .put("schema", schema)
                .put("deleted", deleted);
        return new Entry(key, value);
    }

    /** Key and value of a compatibility setting; a null subject is the global one, a null level removes it. */
    static Entry configEntry(String subject, CompatibilityLevel level) {
        ObjectNode key = json.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
        if (subject != null) {
            key.put("subject", subject);
        }
        ObjectNode value = level == null ? null : json.createObjectNode().put("compatibilityLevel", level.name());
        return new Entry(key, value);
    }

    /** Writes an entry and returns once the broker has acknowledged it to all in-sync replicas. */
    void append(Entry entry) {
        try {
            producer.send(new ProducerRecord<>(
                            topic,
                            0,
                            entry.key().toString(),
                            entry.value() == null ? null : entry.value().toString()))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeFailure("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw RegistryException.storeFailure("cannot write to " + topic + ": " + e, e);
        }
    }

    /** Reads the whole log, oldest first, up to its current end. */
    void replay(BiConsumer<JsonNode, Optional<JsonNode>> apply) {
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.putAll(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG,
                "schema-registry-replay"));
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            while (consumer.position(partition, TIMEOUT) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode key = parse(record.key());
                    if (key == null) {
                        continue;
                    }
                    apply.accept(key, Optional.ofNullable(record.value()).map(SchemaLog::parse));
                }
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private void createTopicIfMissing(short replicationFactor) {
        try (Admin admin = Admin.create(clientConfig)) {
            if (admin.listTopics()
                    .names()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .contains(topic)) {
                return;
            }
            NewTopic schemas = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                            replicationFactor > 1 ? "2" : "1"));
            admin.createTopics(List.of(schemas)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the schemas topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT + " while creating " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    record Entry(ObjectNode key, ObjectNode value) {}
}
