package io.orderflow.eventing.dlq;

import io.orderflow.eventing.topic.Topic;
import org.apache.kafka.common.TopicPartition;

/** Where a dead letter lies: {@code <topic>.dlq:<partition>:<offset>}, e.g. {@code inventory.events.dlq:2:17}. */
public record DeadLetterId(String topic, int partition, long offset) {

    public static DeadLetterId of(TopicPartition partition, long offset) {
        return new DeadLetterId(partition.topic(), partition.partition(), offset);
    }

    /** Reads an id as {@link #toString()} writes it, or says what is wrong with it. */
    public static DeadLetterId parse(String text) {
        String expected = "expected <topic>" + Topic.DEAD_LETTER_SUFFIX + ":<partition>:<offset>, e.g. "
                + "orders.events.dlq:0:42";
        if (text == null || text.isBlank()) {
            throw new InvalidDeadLetterRequestException("a dead-letter id is empty: " + expected);
        }
        int lastColon = text.lastIndexOf(':');
        int partitionColon = lastColon < 0 ? -1 : text.lastIndexOf(':', lastColon - 1);
        if (partitionColon <= 0) {
            throw new InvalidDeadLetterRequestException("malformed dead-letter id '" + text + "': " + expected);
        }
        String topic = text.substring(0, partitionColon);
        if (!topic.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
            throw new InvalidDeadLetterRequestException(
                    "'" + topic + "' in '" + text + "' is not a dead-letter " + "topic: " + expected);
        }
        try {
            int partition = Integer.parseInt(text.substring(partitionColon + 1, lastColon));
            long offset = Long.parseLong(text.substring(lastColon + 1));
            if (partition < 0 || offset < 0) {
                throw new NumberFormatException("negative");
            }
            return new DeadLetterId(topic, partition, offset);
        } catch (NumberFormatException e) {
            throw new InvalidDeadLetterRequestException("malformed dead-letter id '" + text + "': " + expected);
        }
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return topic + ":" + partition + ":" + offset;
    }
}
