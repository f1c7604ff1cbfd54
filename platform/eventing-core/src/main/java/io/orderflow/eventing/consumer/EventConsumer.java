package io.orderflow.eventing.consumer;

import io.orderflow.eventing.topic.Topic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * A service's subscription to one topic: its name (also its consumer group and its inbox key) and a handler per
 * event type. Event types of the topic without a handler are acknowledged and skipped; types the topic does not
 * carry are poison and go to the dead-letter topic.
 */
public final class EventConsumer {

    private final String name;
    private final Topic topic;
    private final Map<Class<? extends SpecificRecord>, BatchEventHandler<?>> handlers;
    private final Optional<BatchEventHandler<SpecificRecord>> beforeEachBatch;

    private EventConsumer(
            String name,
            Topic topic,
            Map<Class<? extends SpecificRecord>, BatchEventHandler<?>> handlers,
            Optional<BatchEventHandler<SpecificRecord>> beforeEachBatch) {
        this.name = name;
        this.topic = topic;
        this.handlers = Map.copyOf(handlers);
        this.beforeEachBatch = beforeEachBatch;
    }

    public static Builder of(String name, Topic topic) {
        return new Builder(name, topic);
    }

    public String name() {
        return name;
    }

    public Topic topic() {
        return topic;
    }

    /** The handler of an event type; empty when the consumer passes events of that type by. */
    @SuppressWarnings("unchecked")
    public Optional<BatchEventHandler<SpecificRecord>> handlerFor(Class<? extends SpecificRecord> type) {
        return Optional.ofNullable((BatchEventHandler<SpecificRecord>) handlers.get(type));
    }

    /** The step that runs first in each batch's transaction, if the consumer has one. */
    public Optional<BatchEventHandler<SpecificRecord>> beforeEachBatch() {
        return beforeEachBatch;
    }

    /** Builds an {@link EventConsumer}. */
    public static final class Builder {
        private final String name;
        private final Topic topic;
        private final Map<Class<? extends SpecificRecord>, BatchEventHandler<?>> handlers = new LinkedHashMap<>();
        private BatchEventHandler<SpecificRecord> beforeEachBatch;

        private Builder(String name, Topic topic) {
            this.name = Objects.requireNonNull(name, "name");
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        /** Handles events of this type one by one, each in its own trace span and log context. */
        public <T extends SpecificRecord> Builder on(Class<T> type, EventHandler<T> handler) {
            return onBatch(type, new OneByOne<>(handler));
        }

        /** Handles consecutive events of this type together, for handlers that batch their writes. */
        public <T extends SpecificRecord> Builder onBatch(Class<T> type, BatchEventHandler<T> handler) {
            if (!topic.eventTypes().contains(type)) {
                throw new IllegalArgumentException(type.getSimpleName() + " does not travel on " + topic.name());
            }
            if (handlers.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("two handlers for " + type.getSimpleName());
            }
            return this;
        }

        /**
         * Runs first in each batch's transaction, with all the batch's new events (duplicates left out) in the order
         * they will be handled. The place to lock, in one fixed order, every row the batch will change when the
         * handlers would otherwise lock them event by event: two batches that change the same rows then wait for
         * each other instead of deadlocking.
         */
        public Builder beforeEachBatch(BatchEventHandler<SpecificRecord> first) {
            if (beforeEachBatch != null) {
                throw new IllegalArgumentException("two beforeEachBatch steps for " + name);
            }
            beforeEachBatch = Objects.requireNonNull(first, "first");
            return this;
        }

        public EventConsumer build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException(name + " handles no event of " + topic.name());
            }
            return new EventConsumer(name, topic, handlers, Optional.ofNullable(beforeEachBatch));
        }
    }

    /** A handler of single events, kept as one so that the runtime can trace each event apart. */
    public record OneByOne<T extends SpecificRecord>(EventHandler<T> handler) implements BatchEventHandler<T> {

        @Override
        public void handleAll(List<IncomingEvent<T>> events) {
            events.forEach(handler::handle);
        }
    }
}
