package io.orderflow.bench;

import io.orderflow.eventing.outbox.ReliableProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One exactly-once read-process-write hop, consumer and transactional producer, with the input offsets committed in
 * each transaction; no database, no HTTP: the floor's Kafka ingredient, and what one saga hop could do at most through
 * the same broker.
 */
public final class TransactionalCopier {

    private final Map<String, Object> kafka;

    /** @param kafka the client settings: bootstrap servers, security */
    public TransactionalCopier(Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    /**
     * Copies the first {@code records} records of {@code input} to {@code output} in transactions.
     *
     * @return the copier's records per second
     */
    public double copy(String input, String output, int records) {
        long stalledSince = System.nanoTime();
        String run = UUID.randomUUID().toString();
        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench.copier-" + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                500));
        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.putAll(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "bench.copier-" + run,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"));
        try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            long copied = 0;
            long started = 0;
            while (copied < records) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (System.nanoTime() - stalledSince
                            > Duration.ofSeconds(60).toNanos()) {
                        throw new IllegalStateException(
                                "the copier read nothing for 60 s after " + copied + " of " + records + " records");
                    }
                    continue;
                }
                stalledSince = System.nanoTime();
                if (started == 0) {
                    started = System.nanoTime();
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                    offsets.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                copied += batch.count();
            }
            return copied / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Writes {@code records} records of {@code valueBytes} random bytes to a topic, as the outbox relay writes. */
    public void fill(String topic, int records, int valueBytes) {
        // The relay's producer settings: what the saga's events are written with.
        Map<String, Object> config = ReliableProducer.config(kafka);
        byte[] value = new byte[valueBytes];
        ThreadLocalRandom.current().nextBytes(value);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling the copier's input failed: " + failure.get(), failure.get());
        }
    }
}
