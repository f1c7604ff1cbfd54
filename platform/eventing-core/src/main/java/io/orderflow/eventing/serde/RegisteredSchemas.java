package io.orderflow.eventing.serde;

import io.orderflow.eventing.topic.Topic;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof, at start-up, that this service's schemas fit the registry: every event type it writes is registered (or
 * registered now, locally) and every event type it reads can read every registered version. A service that could
 * not do its work refuses to start, naming the subject and the field, instead of failing on its first event.
 */
public final class RegisteredSchemas {

    private static final Logger log = LoggerFactory.getLogger(RegisteredSchemas.class);

    private RegisteredSchemas() {}

    public static RegisteredSchemas check(EventSerdes serdes, List<Topic> written, List<Topic> read) {
        for (Topic topic : written) {
            EventSerde serde = serdes.of(topic);
            topic.eventTypes()
                    .classes()
                    .forEach(type ->
                            log.debug("{} has schema id {}", serde.subjectOf(type), serde.prepareWriting(type)));
        }
        for (Topic topic : read) {
            EventSerde serde = serdes.of(topic);
            topic.eventTypes().classes().forEach(serde::prepareReading);
        }
        log.info(
                "Schemas checked against {} ({} topics written, {} read, auto-registration {})",
                serdes.registry().url(),
                written.size(),
                read.size(),
                serdes.autoRegister() ? "on" : "off");
        return new RegisteredSchemas();
    }
}
