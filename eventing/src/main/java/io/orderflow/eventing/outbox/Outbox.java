package io.orderflow.eventing.outbox;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a service calls to publish an event: it appends the event to the outbox in the current Spring-managed
 * transaction. There is deliberately no way to send to Kafka directly.
 */
public final class Outbox {

    private final DataSource dataSource;
    private final OutboxWriter writer = new OutboxWriter();
    private final String producer;
    private final Clock clock;
    private final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();

    public Outbox(DataSource dataSource, String producer, Clock clock) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.clock = clock;
    }

    /** Appends the first event of a saga; the aggregate id is its correlation id. */
    public Envelope appendFirst(Topic topic, String aggregateId, SpecificRecord event) {
        Envelope envelope = Envelope.first(EventTypes.nameOf(event), aggregateId, producer, now());
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    /** Appends an event raised while handling {@code cause}: same correlation, caused by it. */
    public Envelope appendCausedBy(Envelope cause, Topic topic, String aggregateId, SpecificRecord event) {
        Envelope envelope = cause.next(EventTypes.nameOf(event), producer, now());
        append(topic, aggregateId, event, envelope);
        return envelope;
    }

    private void append(Topic topic, String aggregateId, SpecificRecord event, Envelope envelope) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append needs the transaction of the state change it reports");
        }
        var connection = DataSourceUtils.getConnection(dataSource);
        try {
            writer.append(connection, topic, aggregateId, event, envelope);
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
}
