package io.orderflow.eventing.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * {@link EventTracing} on Micrometer Tracing: the handling of an event is a consumer span whose parent is the span
 * named in the event's {@code traceparent}. The tracer's own log-context integration puts the trace and span ids
 * there; the correlation id is added beside them.
 */
public final class MicrometerEventTracing implements EventTracing {

    private final Tracer tracer;

    public MicrometerEventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public Optional<Traceparent> current() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return Optional.empty();
        }
        TraceContext context = span.context();
        String traceId = context.traceId();
        // A tracer set to 64-bit ids is widened to W3C's 128 bits, as W3C asks.
        String wide = traceId.length() == 16 ? "0".repeat(16) + traceId : traceId;
        return Optional.of(
                new Traceparent(wide, context.spanId(), Boolean.FALSE.equals(context.sampled()) ? "00" : "01"));
    }

    @Override
    public void handle(Envelope event, String name, Runnable work) {
        Traceparent parent = event.traceparent();
        TraceContext context = tracer.traceContextBuilder()
                .traceId(parent.traceId())
                .spanId(parent.spanId())
                .sampled(parent.flags().endsWith("1"))
                .build();
        Span span = tracer.spanBuilder()
                .setParent(context)
                .name(name)
                .kind(Span.Kind.CONSUMER)
                .tag("correlation-id", event.correlationId())
                .tag("event-id", event.eventId().toString())
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span);
                MDC.MDCCloseable correlation = MDC.putCloseable(CORRELATION_ID, event.correlationId())) {
            work.run();
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
