package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.topic.Topic;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * A consumer group's reading of topics, as its service's AsyncAPI document describes it: the group, the topics it
 * reads, and the event types it acts on (the others of those topics it acknowledges and passes by).
 */
public record Subscription(String group, List<Topic> topics, Set<Class<? extends SpecificRecord>> handled) {

    public Subscription {
        Objects.requireNonNull(group, "group");
        topics = List.copyOf(topics);
        handled = Set.copyOf(handled);
    }

    /** What an {@link EventConsumer} reads: the event types it has a handler for. */
    public static Subscription of(EventConsumer consumer) {
        Set<Class<? extends SpecificRecord>> handled = new LinkedHashSet<>();
        for (Topic topic : consumer.topics()) {
            topic.eventTypes().classes().stream()
                    .filter(type -> consumer.handlerFor(type).isPresent())
                    .forEach(handled::add);
        }
        return new Subscription(consumer.name(), consumer.topics(), handled);
    }

    /** A group that decodes and acts on every event type of its topics, like a read side that projects them all. */
    public static Subscription ofEveryEvent(String group, List<Topic> topics) {
        Set<Class<? extends SpecificRecord>> handled = new LinkedHashSet<>();
        topics.forEach(topic -> handled.addAll(topic.eventTypes().classes()));
        return new Subscription(group, topics, handled);
    }
}
