package io.orderflow.eventing.consumer;

import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.Predicate;

/**
 * Tells a failure of the infrastructure (the database is down or restarting, a connection or lock timed out, the
 * schema registry cannot be reached, a dependency a handler reports down, a refused partition) from a failure of the
 * record's own. An outage says nothing about the record: it is retried until the infrastructure is back, never
 * dead-lettered, so an outage does not empty a topic into its dead-letter topic.
 *
 * <p>It knows JDBC's and this library's exceptions; a runtime that wraps them in its own (Spring's data-access
 * exceptions, for one) adds what it knows of them as {@code more}, asked of every cause in the chain.
 */
public final class Outages implements Predicate<Throwable> {

    private final Predicate<Throwable> more;

    /** @param more whether one exception of the chain is an outage, beyond what JDBC and this library tell */
    public Outages(Predicate<Throwable> more) {
        this.more = more;
    }

    /** Whether {@code exception}, or any exception beneath it, is an outage. */
    @Override
    public boolean test(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException
                    || cause instanceof DependencyUnavailableException
                    || cause instanceof PartitionRefusedException) {
                return true;
            }
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            // Connection exceptions (08), operator intervention such as a shutdown (57P), insufficient resources (53).
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08")
                            || sql.getSQLState().startsWith("57P")
                            || sql.getSQLState().startsWith("53"))) {
                return true;
            }
            if (more.test(cause)) {
                return true;
            }
        }
        return false;
    }
}
