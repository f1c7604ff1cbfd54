package io.orderflow.view.topology;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.view.domain.FactMeta;
import io.orderflow.view.domain.OrderFact;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;

/** Turns a record of any context's topic into the order fact it states. */
final class EventDecoder {

    /** A fact about one order, with where it came from. */
    record Decoded(String orderId, FactMeta meta, OrderFact fact) {}

    private final EventSerdes serdes;
    private final Map<String, Topic> topics =
            Topics.ALL.stream().collect(Collectors.toMap(Topic::name, Function.identity()));

    EventDecoder(EventSerdes serdes) {
        this.serdes = serdes;
    }

    /**
     * @return empty for an event that is not about an order
     * @throws PoisonRecordException when the record cannot be read, or its key is not the order it is about
     */
    Optional<Decoded> decode(String topicName, Record<String, byte[]> record) {
        Topic topic = topics.get(topicName);
        if (topic == null) {
            throw new PoisonRecordException("topic " + topicName + " is not in the catalogue");
        }
        Envelope envelope = Envelope.readFrom(record.headers());
        SpecificRecord event = serdes.of(topic).fromBytes(envelope.eventType(), record.value());
        Optional<ContractFacts.OrderScoped> scoped = ContractFacts.of(event);
        if (scoped.isEmpty()) {
            return Optional.empty();
        }
        String orderId = scoped.get().orderId();
        if (!orderId.equals(record.key())) {
            throw new PoisonRecordException(envelope.eventType() + " about order " + orderId + " has the key "
                    + record.key() + ": every event of an order must be keyed by its id");
        }
        FactMeta meta = new FactMeta(
                envelope.eventId().toString(),
                envelope.eventType(),
                envelope.producer(),
                envelope.occurredAt(),
                Instant.ofEpochMilli(record.timestamp()),
                envelope.aggregateVersion().orElse(0));
        return Optional.of(new Decoded(orderId, meta, scoped.get().fact()));
    }
}
