package io.orderflow.eventing.consumer;

import io.orderflow.eventing.topic.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * A service's subscription to one topic or several: its name (its consumer group, and the key of its inbox rows and
 * stored positions) and a handler per event type. Event types of its topics without a handler are acknowledged and
 * skipped; types its topics do not carry are poison and go to the dead-letter topic.
 *
 * <p>One subscription to several topics handles each poll's events of all of them in one database transaction, on
 * one thread per partition number: the events of an aggregate on different topics (its key, so its partition, is the
 * same on each) no longer race each other for the aggregate's rows.
 *
 * <p>A topic that had a subscription of its own before ({@link Builder#formerly}) keeps that subscription's name for
 * its inbox rows and stored positions, and starts from that group's committed offsets, so merging subscriptions
 * moves no data and neither loses nor repeats an event, even while an instance of the old version still runs.
 */
public final class EventConsumer {

    private final String name;
    private final List<Topic> topics;
    private final Map<String, String> formerNames;
    private final Map<Class<? extends SpecificRecord>, BatchEventHandler<?>> handlers;
    private final Optional<BatchEventHandler<SpecificRecord>> beforeEachBatch;

    private EventConsumer(Builder builder) {
        this.name = builder.name;
        this.topics = List.copyOf(builder.topics);
        this.formerNames = Map.copyOf(builder.formerNames);
        this.handlers = Map.copyOf(builder.handlers);
        this.beforeEachBatch = Optional.ofNullable(builder.beforeEachBatch);
    }

    public static Builder of(String name, Topic topic) {
        return new Builder(name, topic);
    }

    public static Builder of(String name, Topic topic, Topic... moreTopics) {
        return new Builder(name, topic, moreTopics);
    }

    public String name() {
        return name;
    }

    /** The topics it reads, in the order they were named. */
    public List<Topic> topics() {
        return topics;
    }

    /**
     * The name a topic's events are recorded under, in the inbox and the stored positions: the subscription's own,
     * or the name of the subscription the topic had before.
     */
    public String recordedAs(String topic) {
        return formerNames.getOrDefault(topic, name);
    }

    /** The consumer group that read the topic before it joined this subscription, if it did. */
    public Optional<String> formerGroup(String topic) {
        return Optional.ofNullable(formerNames.get(topic));
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
        private final List<Topic> topics = new ArrayList<>();
        private final Map<String, String> formerNames = new LinkedHashMap<>();
        private final Map<Class<? extends SpecificRecord>, BatchEventHandler<?>> handlers = new LinkedHashMap<>();
        private BatchEventHandler<SpecificRecord> beforeEachBatch;

        private Builder(String name, Topic topic, Topic... moreTopics) {
            this.name = Objects.requireNonNull(name, "name");
            topics.add(Objects.requireNonNull(topic, "topic"));
            for (Topic more : moreTopics) {
                if (topics.stream().anyMatch(known -> known.name().equals(more.name()))) {
                    throw new IllegalArgumentException(name + " names " + more.name() + " twice");
                }
                topics.add(more);
            }
        }

        /**
         * The topic was read before by a subscription of its own, named {@code formerName}. Its events stay recorded
         * under that name: the inbox rows and stored positions written before go on counting, and an instance still
         * running that subscription (during a rolling upgrade) sees the same inbox rows, so the two never both apply
         * an event. Partitions this subscription's group has no committed offset for start from that group's.
         */
        public Builder formerly(Topic topic, String formerName) {
            if (!topics.contains(topic)) {
                throw new IllegalArgumentException(name + " does not read " + topic.name());
            }
            if (Objects.requireNonNull(formerName, "formerName").equals(name)) {
                throw new IllegalArgumentException(topic.name() + " was not read under another name than " + name);
            }
            if (formerNames.putIfAbsent(topic.name(), formerName) != null) {
                throw new IllegalArgumentException("two former names for " + topic.name());
            }
            return this;
        }

        /** Handles events of this type one by one, each in its own trace span and log context. */
        public <T extends SpecificRecord> Builder on(Class<T> type, EventHandler<T> handler) {
            return onBatch(type, new OneByOne<>(handler));
        }

        /** Handles consecutive events of this type together, for handlers that batch their writes. */
        public <T extends SpecificRecord> Builder onBatch(Class<T> type, BatchEventHandler<T> handler) {
            if (topics.stream().noneMatch(topic -> topic.eventTypes().contains(type))) {
                throw new IllegalArgumentException(type.getSimpleName() + " does not travel on "
                        + topics.stream().map(Topic::name).toList());
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
            for (Topic topic : topics) {
                if (topic.eventTypes().classes().stream().noneMatch(handlers::containsKey)) {
                    throw new IllegalStateException(name + " handles no event of " + topic.name());
                }
            }
            return new EventConsumer(this);
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
