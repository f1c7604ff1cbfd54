package io.orderflow.eventing.envelope;

/** Names of the Kafka headers that carry an event's envelope. */
public final class EventHeaders {
    public static final String EVENT_ID = "event-id";
    public static final String EVENT_TYPE = "event-type";
    public static final String CORRELATION_ID = "correlation-id";
    public static final String CAUSATION_ID = "causation-id";
    public static final String OCCURRED_AT = "occurred-at";
    public static final String PRODUCER = "producer";
    public static final String TRACEPARENT = "traceparent";
    /** Optional: the version the event gave its aggregate, from writers that keep an event store. */
    public static final String AGGREGATE_VERSION = "aggregate-version";

    private EventHeaders() {}
}
