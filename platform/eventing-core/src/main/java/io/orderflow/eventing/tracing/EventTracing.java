package io.orderflow.eventing.tracing;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Carries the W3C trace of a saga across its hops: an event written while a request or a handler runs is the child
 * of that work's span, and the handling of an event runs in a span that is the child of the event's. Meanwhile
 * the log context holds {@value #TRACE_ID}, {@value #SPAN_ID} and {@value #CORRELATION_ID}, so that every log line
 * of the work can be found from an order id or a trace id.
 */
public interface EventTracing {

    String TRACE_ID = "traceId";
    String SPAN_ID = "spanId";
    String CORRELATION_ID = "correlationId";

    /** The span the calling thread works in, as the parent of an event it writes; empty when there is none. */
    Optional<Traceparent> current();

    /** Runs {@code work} on behalf of one event, named {@code name}, in the event's trace. */
    void handle(Envelope event, String name, Runnable work);

    /**
     * Without a tracer: no spans, but the log context still says which trace and which saga a line belongs to,
     * from the event's envelope.
     */
    EventTracing LOG_CONTEXT_ONLY = new EventTracing() {
        @Override
        public Optional<Traceparent> current() {
            return Optional.empty();
        }

        @Override
        public void handle(Envelope event, String name, Runnable work) {
            try (MDC.MDCCloseable trace =
                            MDC.putCloseable(TRACE_ID, event.traceparent().traceId());
                    MDC.MDCCloseable span =
                            MDC.putCloseable(SPAN_ID, event.traceparent().spanId());
                    MDC.MDCCloseable correlation = MDC.putCloseable(CORRELATION_ID, event.correlationId())) {
                work.run();
            }
        }
    };
}
