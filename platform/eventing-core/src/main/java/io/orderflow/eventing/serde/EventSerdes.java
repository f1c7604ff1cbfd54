package io.orderflow.eventing.serde;

import io.orderflow.eventing.topic.Topic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The serde of each topic, sharing one registry client (and so its caches) and one registration policy. */
public final class EventSerdes {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<String, EventSerde> byTopic = new ConcurrentHashMap<>();

    public EventSerdes(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    public EventSerde of(Topic topic) {
        EventSerde serde = byTopic.computeIfAbsent(
                topic.name(), name -> new EventSerde(name, topic.eventTypes(), registry, autoRegister));
        // Called for every event the outbox takes: the catalogue's constants make the identity check the usual one.
        if (serde.eventTypes() != topic.eventTypes()
                && !serde.eventTypes().names().equals(topic.eventTypes().names())) {
            throw new IllegalArgumentException("two different topics named " + topic.name());
        }
        return serde;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public boolean autoRegister() {
        return autoRegister;
    }
}
