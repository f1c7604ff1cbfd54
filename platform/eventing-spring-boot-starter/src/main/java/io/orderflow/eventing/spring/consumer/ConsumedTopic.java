package io.orderflow.eventing.spring.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.RefusedPartitions;
import io.orderflow.eventing.consumer.TopicLookup;
import io.orderflow.eventing.serde.EventSerde;
import java.util.Map;
import java.util.Optional;

/**
 * What a consumer's runtime keeps for each topic it reads: the name its events are recorded under, the group that read
 * it before (if it joined from a subscription of its own), how its records decode, what the cluster says about it,
 * which of its partitions are refused, and its counters.
 */
record ConsumedTopic(
        String name,
        String recordedAs,
        Optional<String> formerGroup,
        EventSerde serde,
        TopicLookup lookup,
        RefusedPartitions refused,
        Counters counters) {

    static ConsumedTopic of(
            EventConsumer consumer,
            String topic,
            EventSerde serde,
            Map<String, Object> kafkaConfig,
            MeterRegistry meters) {
        String recordedAs = consumer.recordedAs(topic);
        return new ConsumedTopic(
                topic,
                recordedAs,
                consumer.formerGroup(topic),
                serde,
                new TopicLookup(topic, kafkaConfig),
                new RefusedPartitions(consumer.name(), recordedAs, topic, meters),
                new Counters(consumer.name(), topic, meters));
    }

    /** The consumer's counters for the events of one topic. */
    record Counters(
            Counter handled,
            Counter duplicates,
            Counter skipped,
            Counter replaysForOthers,
            Counter behindPosition,
            Counter fallbacks) {

        Counters(String consumer, String topic, MeterRegistry meters) {
            this(
                    counter(meters, "orderflow.consumer.handled", consumer, topic),
                    counter(meters, "orderflow.consumer.duplicates", consumer, topic),
                    counter(meters, "orderflow.consumer.skipped", consumer, topic),
                    counter(meters, "orderflow.consumer.replays.for.others", consumer, topic),
                    counter(meters, "orderflow.consumer.behind.position", consumer, topic),
                    // A failed batch counts once for each of its topics.
                    counter(meters, "orderflow.consumer.batch.fallbacks", consumer, topic));
        }

        static Counter counter(MeterRegistry meters, String name, String consumer, String topic) {
            return Counter.builder(name)
                    .tag("consumer", consumer)
                    .tag("topic", topic)
                    .register(meters);
        }
    }
}
