package io.orderflow.eventing.consumer;

import io.orderflow.eventing.envelope.Envelope;
import org.apache.avro.specific.SpecificRecord;

/** A decoded event with its envelope and where it was read from. */
public record IncomingEvent<T extends SpecificRecord>(
        Envelope envelope, String key, T payload, String topic, int partition, long offset) {}
