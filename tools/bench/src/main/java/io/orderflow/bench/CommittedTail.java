package io.orderflow.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A watcher's consumer: every partition of some topics, read-committed, from their current ends, with no group. A
 * short fetch wait, because what a watcher measures is when records become readable.
 */
final class CommittedTail {

    private CommittedTail() {}

    /** @param kafka the client settings: bootstrap servers, security */
    static KafkaConsumer<String, byte[]> of(Map<String, Object> kafka, Collection<String> topics, int fetchMaxWaitMs) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
