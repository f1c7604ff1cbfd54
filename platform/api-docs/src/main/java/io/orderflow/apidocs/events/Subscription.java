package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.topic.Topic;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * A consumer group's reading of topics, as its service's AsyncAPI document describes it: the group, the topics it
 * reads, the event types it acts on (the others of those topics it acknowledges and passes by), and, for a topic that
 * joined a merged subscription, the former subscription's name it still records the topic's events under (its inbox
 * rows, positions and dead letters, {@link EventConsumer#recordedAs}).
 */
public record Subscription(
        String group,
        List<Topic> topics,
        Set<Class<? extends SpecificRecord>> handled,
        Map<String, String> formerNames) {

    public Subscription {
        Objects.requireNonNull(group, "group");
        topics = List.copyOf(topics);
        handled = Set.copyOf(handled);
        formerNames = Map.copyOf(formerNames);
    }

    public Subscription(String group, List<Topic> topics, Set<Class<? extends SpecificRecord>> handled) {
        this(group, topics, handled, Map.of());
    }

    /** What an {@link EventConsumer} reads: the event types it has a handler for. */
    public static Subscription of(EventConsumer consumer) {
        Set<Class<? extends SpecificRecord>> handled = new LinkedHashSet<>();
        Map<String, String> formerNames = new LinkedHashMap<>();
        for (Topic topic : consumer.topics()) {
            topic.eventTypes().classes().stream()
                    .filter(type -> consumer.handlerFor(type).isPresent())
                    .forEach(handled::add);
            consumer.formerGroup(topic.name()).ifPresent(former -> formerNames.put(topic.name(), former));
        }
        return new Subscription(consumer.name(), consumer.topics(), handled, formerNames);
    }

    /** A group that decodes and acts on every event type of its topics, like a read side that projects them all. */
    public static Subscription ofEveryEvent(String group, List<Topic> topics) {
        Set<Class<? extends SpecificRecord>> handled = new LinkedHashSet<>();
        topics.forEach(topic -> handled.addAll(topic.eventTypes().classes()));
        return new Subscription(group, topics, handled);
    }

    /** The name the group's events of a topic are recorded under, and its dead letters addressed to. */
    public String recordedAs(String topic) {
        return formerNames.getOrDefault(topic, group);
    }
}
