package io.orderflow.eventing.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Metadata of one event, carried in Kafka headers rather than in every payload.
 *
 * @param causationId      the event that caused this one; empty for the event that starts a saga
 * @param aggregateVersion the version the event gave its aggregate in the writer's event store, where the writer
 *                         keeps one (order-service does): lets a reader tell how far it has caught up with a write
 */
public record Envelope(
        UUID eventId,
        String eventType,
        String correlationId,
        Optional<UUID> causationId,
        Instant occurredAt,
        String producer,
        Traceparent traceparent,
        OptionalLong aggregateVersion) {

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        requireText(eventType, "eventType");
        requireText(correlationId, "correlationId");
        Objects.requireNonNull(causationId, "causationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        requireText(producer, "producer");
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(aggregateVersion, "aggregateVersion");
        if (aggregateVersion.isPresent() && aggregateVersion.getAsLong() < 1) {
            throw new IllegalArgumentException("aggregateVersion must be positive: " + aggregateVersion.getAsLong());
        }
    }

    public Envelope(
            UUID eventId,
            String eventType,
            String correlationId,
            Optional<UUID> causationId,
            Instant occurredAt,
            String producer,
            Traceparent traceparent) {
        this(eventId, eventType, correlationId, causationId, occurredAt, producer, traceparent, OptionalLong.empty());
    }

    /** The same envelope, stating the version the event gave its aggregate. */
    public Envelope withAggregateVersion(long version) {
        return new Envelope(
                eventId,
                eventType,
                correlationId,
                causationId,
                occurredAt,
                producer,
                traceparent,
                OptionalLong.of(version));
    }

    /** The same envelope in another span: the one that wrote the event, when a tracer knows it. */
    public Envelope withTraceparent(Traceparent parent) {
        return new Envelope(
                eventId, eventType, correlationId, causationId, occurredAt, producer, parent, aggregateVersion);
    }

    /** The envelope of an event that starts a new saga, such as an order placed over HTTP. */
    public static Envelope first(String eventType, String correlationId, String producer, Instant now) {
        return new Envelope(
                UUID.randomUUID(), eventType, correlationId, Optional.empty(), now, producer, Traceparent.newTrace());
    }

    /** The envelope of an event raised while handling {@code cause}: same saga, same trace, new span. */
    public Envelope next(String nextEventType, String nextProducer, Instant now) {
        return new Envelope(
                UUID.randomUUID(),
                nextEventType,
                correlationId,
                Optional.of(eventId),
                now,
                nextProducer,
                traceparent.child());
    }

    public void writeTo(Headers headers) {
        put(headers, EventHeaders.EVENT_ID, eventId.toString());
        put(headers, EventHeaders.EVENT_TYPE, eventType);
        put(headers, EventHeaders.CORRELATION_ID, correlationId);
        causationId.ifPresent(id -> put(headers, EventHeaders.CAUSATION_ID, id.toString()));
        put(headers, EventHeaders.OCCURRED_AT, occurredAt.toString());
        put(headers, EventHeaders.PRODUCER, producer);
        put(headers, EventHeaders.TRACEPARENT, traceparent.toString());
        aggregateVersion.ifPresent(version -> put(headers, EventHeaders.AGGREGATE_VERSION, Long.toString(version)));
    }

    /**
     * Reads an envelope from record headers.
     *
     * @throws InvalidEnvelopeException naming the header that is missing or malformed
     */
    public static Envelope readFrom(Headers headers) {
        UUID eventId = parse(headers, EventHeaders.EVENT_ID, UUID::fromString);
        String eventType = required(headers, EventHeaders.EVENT_TYPE);
        String correlationId = required(headers, EventHeaders.CORRELATION_ID);
        Optional<UUID> causationId = optional(headers, EventHeaders.CAUSATION_ID)
                .map(value -> parseValue(EventHeaders.CAUSATION_ID, value, UUID::fromString));
        Instant occurredAt = parse(headers, EventHeaders.OCCURRED_AT, Instant::parse);
        String producer = required(headers, EventHeaders.PRODUCER);
        // A record from a producer outside our tracing still belongs to a trace: start one.
        Traceparent traceparent = optional(headers, EventHeaders.TRACEPARENT)
                .map(value -> parseValue(EventHeaders.TRACEPARENT, value, Traceparent::parse))
                .orElseGet(Traceparent::newTrace);
        OptionalLong aggregateVersion = optional(headers, EventHeaders.AGGREGATE_VERSION)
                .map(value -> OptionalLong.of(parseValue(EventHeaders.AGGREGATE_VERSION, value, Envelope::version)))
                .orElse(OptionalLong.empty());
        return new Envelope(
                eventId, eventType, correlationId, causationId, occurredAt, producer, traceparent, aggregateVersion);
    }

    private static long version(String value) {
        long version = Long.parseLong(value);
        if (version < 1) {
            throw new IllegalArgumentException("not a positive version: " + value);
        }
        return version;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> optional(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String required(Headers headers, String name) {
        String value = optional(headers, name)
                .orElseThrow(() -> new InvalidEnvelopeException("missing header '" + name + "'"));
        if (value.isBlank()) {
            throw new InvalidEnvelopeException("blank header '" + name + "'");
        }
        return value;
    }

    private static <T> T parse(Headers headers, String name, java.util.function.Function<String, T> parser) {
        return parseValue(name, required(headers, name), parser);
    }

    private static <T> T parseValue(String name, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidEnvelopeException("malformed header '" + name + "': " + e.getMessage());
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
