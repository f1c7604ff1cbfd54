package io.orderflow.eventing.consumer;

import org.apache.avro.specific.SpecificRecord;

/**
 * Applies one event's effects. It runs inside the consumer's database transaction: whatever it writes through
 * the service's JDBC access and the outbox commits together with the inbox entry, or not at all. It must not talk
 * to Kafka or to other services.
 */
@FunctionalInterface
public interface EventHandler<T extends SpecificRecord> {
    void handle(IncomingEvent<T> event);
}
