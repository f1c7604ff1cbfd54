package io.orderflow.eventing.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.eventing.EventingDatabase;
import io.orderflow.eventing.TestSerdes;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.topic.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The Spring-transaction facade of the outbox against the real PostgreSQL: what it writes, and when it refuses. */
class OutboxIT {

    private final Topic topic = Topic.of("test.outbox-facade", CounterIncremented.class);
    private HikariDataSource dataSource;
    private Outbox outbox;
    private TransactionTemplate transaction;

    @BeforeEach
    void freshOutbox() {
        String schema =
                "outbox_facade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        dataSource = EventingDatabase.inFreshSchema(schema, 2);
        outbox = new Outbox(dataSource, "outbox-test", Clock.systemUTC(), TestSerdes.all(), new OutboxSignal());
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void anEventAppendedAfterTheTransactionCommittedIsRefusedNotDropped() throws Exception {
        // Given a transaction with an event, and code that runs once it has committed
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        transaction.executeWithoutResult(status -> {
            append("order-1", 1);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    // When that code appends another event
                    try {
                        append("order-1", 2);
                    } catch (RuntimeException e) {
                        refused.set(e);
                    }
                }
            });
        });

        // Then it is refused (the outbox of that transaction is already written), and only the first is stored
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class);
        assertThat(outboxSize()).isEqualTo(1);
    }

    @Test
    void anEventAppendedByABeforeCommitThatRunsAfterTheOutboxsRollsTheTransactionBack() throws Exception {
        // Given a transaction with an event, and a beforeCommit callback registered after the outbox's
        // When that callback appends another event, then the commit fails and nothing of the transaction is stored
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    append("order-2", 1);
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void beforeCommit(boolean readOnly) {
                            append("order-2", 2);
                        }
                    });
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(outboxSize()).isZero();
    }

    private void append(String aggregate, int sequence) {
        outbox.appendFirst(topic, aggregate, new CounterIncremented(aggregate, sequence, 0, false));
    }

    private long outboxSize() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM outbox")) {
            result.next();
            return result.getLong(1);
        }
    }
}
