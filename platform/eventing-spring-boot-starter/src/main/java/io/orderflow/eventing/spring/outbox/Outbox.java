package io.orderflow.eventing.spring.outbox;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.OutboxWriter;
import io.orderflow.eventing.outbox.OutboxWriter.PendingEvent;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.tracing.EventTracing;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a service calls to publish an event: it adds the event to the outbox of the current Spring-managed
 * transaction. There is deliberately no way to send to Kafka directly.
 *
 * <p>Events are encoded at once, so a bad event fails in the code that raised it, and written just before the
 * transaction commits, all of them in one batch: a consumer that handles 500 events in one transaction writes
 * their outbox rows in two round trips instead of a thousand.
 */
public final class Outbox {

    private final DataSource dataSource;
    private final OutboxWriter writer = new OutboxWriter();
    private final String producer;
    private final Clock clock;
    private final EventSerdes serdes;
    private final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();
    private final OutboxSignal committed;

    private final EventTracing tracing;

    public Outbox(DataSource dataSource, String producer, Clock clock, EventSerdes serdes, OutboxSignal committed) {
        this(dataSource, producer, clock, serdes, committed, EventTracing.LOG_CONTEXT_ONLY);
    }

    public Outbox(
            DataSource dataSource,
            String producer,
            Clock clock,
            EventSerdes serdes,
            OutboxSignal committed,
            EventTracing tracing) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.clock = clock;
        this.serdes = serdes;
        this.committed = committed;
        this.tracing = tracing;
    }

    /** Appends the first event of a saga; the aggregate id is its correlation id. */
    public Envelope appendFirst(Topic topic, String aggregateId, SpecificRecord event) {
        Envelope envelope = traced(Envelope.first(EventTypes.nameOf(event), aggregateId, producer, now()));
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    /** Appends an event raised while handling {@code cause}: same correlation, caused by it. */
    public Envelope appendCausedBy(Envelope cause, Topic topic, String aggregateId, SpecificRecord event) {
        Envelope envelope = traced(cause.next(EventTypes.nameOf(event), producer, now()));
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    /** Appends the first event of a saga that gave its aggregate {@code aggregateVersion} in an event store. */
    public Envelope appendFirst(Topic topic, String aggregateId, long aggregateVersion, SpecificRecord event) {
        Envelope envelope = traced(Envelope.first(EventTypes.nameOf(event), aggregateId, producer, now()))
                .withAggregateVersion(aggregateVersion);
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    /** Appends an event raised while handling {@code cause} that gave its aggregate {@code aggregateVersion}. */
    public Envelope appendCausedBy(
            Envelope cause, Topic topic, String aggregateId, long aggregateVersion, SpecificRecord event) {
        Envelope envelope =
                traced(cause.next(EventTypes.nameOf(event), producer, now())).withAggregateVersion(aggregateVersion);
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    /**
     * The event as a child of the span at work (the HTTP request's, or the handling of its cause), when there is one
     * in the event's trace. A first event joins the trace of the request that raised it.
     */
    private Envelope traced(Envelope envelope) {
        return tracing.current()
                .filter(span -> envelope.causationId().isEmpty()
                        || span.traceId().equals(envelope.traceparent().traceId()))
                .map(envelope::withTraceparent)
                .orElse(envelope);
    }

    private void append(Topic topic, String aggregateId, SpecificRecord event, Envelope envelope) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append needs the transaction of the state change it reports");
        }
        pendingOfThisTransaction().add(PendingEvent.of(serdes.of(topic), aggregateId, event, envelope));
    }

    /** The events of the current transaction; synchronizations are suspended with their transaction, so is this. */
    private FlushBeforeCommit pendingOfThisTransaction() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof FlushBeforeCommit flush && flush.outbox == this) {
                return flush;
            }
        }
        FlushBeforeCommit flush = new FlushBeforeCommit(this);
        TransactionSynchronizationManager.registerSynchronization(flush);
        return flush;
    }

    private void flush(List<PendingEvent> events) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            writer.appendAll(connection, events);
        } catch (SQLException e) {
            throw translator.translate("outbox append", null, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: an envelope must read back exactly as it was written.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Writes a transaction's events right before it commits (a failure here rolls the transaction back), and wakes
     * the relay once they are committed. An event added once they are written would never be: it is refused.
     */
    private static final class FlushBeforeCommit implements TransactionSynchronization {

        private final Outbox outbox;
        private final List<PendingEvent> events = new ArrayList<>();
        private boolean flushed;

        private FlushBeforeCommit(Outbox outbox) {
            this.outbox = outbox;
        }

        void add(PendingEvent event) {
            if (flushed) {
                throw new IllegalStateException("Outbox.append after this transaction's outbox rows were written "
                        + "(in afterCommit or afterCompletion, or in a beforeCommit that runs after the outbox's): the "
                        + "event would be lost. Append while the transaction does its work");
            }
            events.add(event);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            flushed = true;
            outbox.flush(events);
        }

        @Override
        public void afterCommit() {
            if (!events.isEmpty()) {
                outbox.committed.raise();
            }
        }
    }
}
