package io.orderflow.eventing.outbox;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The partition of each row's record, as Kafka's default partitioner picks it for the row's key (the aggregate id,
 * serialized as UTF-8 like every producer here does). The relay sets it on the record itself, so the partition it
 * backs off from is the one the record goes to, by construction. Partition counts are looked up once per cycle.
 */
final class RecordPartitions {

    private final Producer<String, byte[]> producer;
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private final Map<String, KafkaException> unknownTopics = new HashMap<>();

    RecordPartitions(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /**
     * @throws KafkaException when the producer cannot tell the topic's partitions (the topic does not exist yet,
     *                        its name is invalid, the cluster does not answer): sending the row fails the same way
     */
    TopicPartition of(OutboxRow row) {
        KafkaException unknown = unknownTopics.get(row.topic());
        if (unknown != null) {
            throw unknown;
        }
        Integer partitions = partitionCounts.get(row.topic());
        if (partitions == null) {
            try {
                partitions = producer.partitionsFor(row.topic()).size();
            } catch (KafkaException e) {
                // Once per cycle: a topic whose metadata does not come blocks for max.block.ms at each look.
                unknownTopics.put(row.topic(), e);
                throw e;
            }
            partitionCounts.put(row.topic(), partitions);
        }
        int partition =
                BuiltInPartitioner.partitionForKey(row.aggregateId().getBytes(StandardCharsets.UTF_8), partitions);
        return new TopicPartition(row.topic(), partition);
    }
}
