package io.orderflow.eventing.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the cluster says about a consumer's topic as it is now: its id and its partitions' log-end offsets, which tell
 * whether a stored position belongs to it. The id is kept between lookups, since every batch stores it with the
 * positions; it is looked up again on each assignment and before any record is passed by as applied.
 *
 * <p>Each lookup uses an admin client of its own, closed at once: lookups happen on assignment and when a batch
 * would pass records by, both rare, and a client kept open would need a lifecycle for nothing.
 */
public final class TopicLookup {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, Object> adminConfig;
    private volatile String topicId;

    public TopicLookup(String topic, Map<String, Object> kafkaConfig) {
        this.topic = topic;
        // The consumer's settings minus what only a consumer knows: the connection and security ones carry over.
        this.adminConfig = kafkaConfig.entrySet().stream()
                .filter(setting -> AdminClientConfig.configNames().contains(setting.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public String topic() {
        return topic;
    }

    /** The topic's id as last looked up, or looked up now. */
    public String topicId() {
        String known = topicId;
        return known != null ? known : refreshedTopicId();
    }

    /** The topic's id as the cluster says it is now. */
    public String refreshedTopicId() {
        topicId = ask(
                "the id of topic " + topic,
                admin -> admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic)
                        .topicId()
                        .toString());
        return topicId;
    }

    /** The log-end offset (high watermark) of each of these partitions of the topic. */
    public Map<Integer, Long> logEndOffsets(Collection<Integer> partitions) {
        return ask("the log-end offsets of " + topic + " " + partitions, admin -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(new TopicPartition(topic, partition), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> byPartition = new HashMap<>();
            ends.forEach((partition, end) -> byPartition.put(partition.partition(), end.offset()));
            return byPartition;
        });
    }

    /** The offsets a consumer group committed on these partitions of the topic, of those it committed one on. */
    public Map<Integer, Long> committedOffsets(String group, Collection<Integer> partitions) {
        return ask("the offsets group " + group + " committed on " + topic + " " + partitions, admin -> {
            ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec()
                    .topicPartitions(partitions.stream()
                            .map(partition -> new TopicPartition(topic, partition))
                            .toList());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Map.of(group, spec))
                    .partitionsToOffsetAndMetadata(group)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> byPartition = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition.partition(), offset.offset());
                }
            });
            return byPartition;
        });
    }

    private <T> T ask(String what, Question<T> question) {
        try (Admin admin = Admin.create(adminConfig)) {
            return question.ask(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException("interrupted while asking Kafka for " + what, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Kafka unreachable, the topic missing for now: nothing the record did, and nothing to pass by on.
            throw new DependencyUnavailableException("Kafka cannot tell " + what + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface Question<T> {
        T ask(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }
}
