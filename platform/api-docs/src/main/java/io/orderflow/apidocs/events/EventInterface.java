package io.orderflow.apidocs.events;

import io.orderflow.eventing.topic.Topic;
import java.util.List;
import java.util.Objects;

/**
 * What a service writes and reads on Kafka: the topics it is the one writer of, and its consumer groups' subscriptions.
 * The input of its AsyncAPI document, taken from the same beans that make it produce and consume.
 */
public record EventInterface(String service, List<Topic> writes, List<Subscription> reads) {

    public EventInterface {
        Objects.requireNonNull(service, "service");
        writes = List.copyOf(writes);
        reads = List.copyOf(reads);
    }
}
