package io.orderflow.eventing.topic;

import io.orderflow.eventing.serde.EventTypes;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic of the catalogue: its name, its key serde and the event types it carries, in one constant. The key is
 * always the aggregate id, so an aggregate's events stay in order on one partition. The events' serde needs the
 * schema registry, a runtime dependency: {@code EventSerdes.of(topic)}.
 */
public record Topic(String name, Serde<String> keySerde, EventTypes eventTypes) {

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.endsWith(DEAD_LETTER_SUFFIX)) {
            throw new IllegalArgumentException("a dead-letter topic is derived, not declared: " + name);
        }
    }

    @SafeVarargs
    public static Topic of(String name, Class<? extends SpecificRecord>... eventTypes) {
        return new Topic(name, Serdes.String(), EventTypes.of(eventTypes));
    }

    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }
}
