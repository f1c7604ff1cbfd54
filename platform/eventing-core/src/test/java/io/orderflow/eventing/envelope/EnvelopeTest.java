package io.orderflow.eventing.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.eventing.serde.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30.123456Z");

    @Test
    void survivesTheTripThroughHeaders() {
        Envelope envelope = Envelope.first("OrderPlaced", "order-1", "order-service", NOW);
        Headers headers = new RecordHeaders();
        envelope.writeTo(headers);

        assertThat(Envelope.readFrom(headers)).isEqualTo(envelope);
    }

    @Test
    void anAggregateVersionSurvivesTheTripAndIsNotInheritedByTheNextEvent() {
        Envelope envelope =
                Envelope.first("OrderPlaced", "order-1", "order-service", NOW).withAggregateVersion(1);
        Headers headers = new RecordHeaders();
        envelope.writeTo(headers);

        assertThat(Envelope.readFrom(headers).aggregateVersion()).hasValue(1);
        assertThat(envelope.next("StockReserved", "inventory-service", NOW).aggregateVersion())
                .isEmpty();
    }

    @Test
    void aVersionThatIsNotAPositiveNumberIsPoison() {
        for (String version : new String[] {"0", "-3", "seven"}) {
            Headers headers = new RecordHeaders();
            Envelope.first("OrderPlaced", "order-1", "order-service", NOW).writeTo(headers);
            headers.add(EventHeaders.AGGREGATE_VERSION, version.getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> Envelope.readFrom(headers))
                    .isInstanceOf(PoisonRecordException.class)
                    .hasMessageContaining("malformed header 'aggregate-version'");
        }
    }

    @Test
    void theNextEventKeepsTheSagaAndTheTraceAndPointsAtItsCause() {
        Envelope cause = Envelope.first("OrderPlaced", "order-1", "order-service", NOW);
        Envelope next = cause.next("StockReserved", "inventory-service", NOW.plusMillis(5));

        assertThat(next.correlationId()).isEqualTo("order-1");
        assertThat(next.causationId()).hasValue(cause.eventId());
        assertThat(next.eventId()).isNotEqualTo(cause.eventId());
        assertThat(next.traceparent().traceId()).isEqualTo(cause.traceparent().traceId());
        assertThat(next.traceparent().spanId()).isNotEqualTo(cause.traceparent().spanId());
    }

    @Test
    void aMissingRequiredHeaderIsPoisonNamingTheHeader() {
        Headers headers = new RecordHeaders();
        Envelope.first("OrderPlaced", "order-1", "order-service", NOW).writeTo(headers);
        headers.remove(EventHeaders.PRODUCER);

        assertThatThrownBy(() -> Envelope.readFrom(headers))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("missing header 'producer'");
    }

    @Test
    void aMalformedHeaderIsPoisonNamingTheHeader() {
        Headers headers = new RecordHeaders();
        Envelope.first("OrderPlaced", "order-1", "order-service", NOW).writeTo(headers);
        headers.remove(EventHeaders.EVENT_ID);
        headers.add(EventHeaders.EVENT_ID, "not-a-uuid".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Envelope.readFrom(headers))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("malformed header 'event-id'");
    }

    @Test
    void aRecordFromOutsideOurTracingStartsATraceInsteadOfFailing() {
        Headers headers = new RecordHeaders();
        Envelope.first("OrderPlaced", "order-1", "order-service", NOW).writeTo(headers);
        headers.remove(EventHeaders.TRACEPARENT);

        assertThat(Envelope.readFrom(headers).traceparent().traceId()).hasSize(32);
    }

    @Test
    void traceparentFollowsTheW3cFormat() {
        Traceparent parsed = Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parsed.toString()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThatThrownBy(() -> Traceparent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Traceparent.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvelopeNeedsItsParts() {
        assertThatThrownBy(() -> new Envelope(
                        UUID.randomUUID(), " ", "c", java.util.Optional.empty(), NOW, "p", Traceparent.newTrace()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
