package io.orderflow.eventing.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What was done to the dead letters of some dead-letter topics, as read from {@value DeadLetterAdmin#OUTCOMES_TOPIC}
 * so far. It keeps one small entry per dead letter that was replayed or quarantined, not the records, and remembers
 * how far it has read, so that bringing it up to date reads only what was written since.
 */
final class DeadLetterOutcomes {

    private final Set<String> topics;
    private final Map<DeadLetterId, DeadLetter.Outcome> byId = new HashMap<>();
    private final Map<TopicPartition, Long> readTo = new HashMap<>();

    DeadLetterOutcomes(Collection<String> deadLetterTopics) {
        this.topics = Set.copyOf(deadLetterTopics);
    }

    Optional<DeadLetter.Outcome> of(DeadLetterId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The dead letters of a partition that have an outcome, below an offset. */
    List<DeadLetterId> below(TopicPartition partition, long offset) {
        return byId.keySet().stream()
                .filter(id -> id.topicPartition().equals(partition) && id.offset() < offset)
                .toList();
    }

    long readUpTo(TopicPartition partition) {
        return readTo.getOrDefault(partition, 0L);
    }

    void readTo(TopicPartition partition, long offset) {
        readTo.put(partition, offset);
    }

    void add(ConsumerRecord<byte[], byte[]> record) {
        DeadLetterId id;
        try {
            id = DeadLetterId.parse(new String(record.key(), StandardCharsets.UTF_8));
        } catch (InvalidDeadLetterRequestException | NullPointerException notAnId) {
            return;
        }
        if (!topics.contains(id.topic())) {
            return;
        }
        Optional<DeadLetter.Outcome> outcome = DeadLetter.Outcome.fromBytes(record.value());
        if (outcome.isPresent()) {
            byId.put(id, outcome.get());
        } else {
            byId.remove(id);
        }
    }
}
