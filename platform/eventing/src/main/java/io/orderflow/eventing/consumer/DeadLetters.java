package io.orderflow.eventing.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handling of every consumer: retries with exponential backoff, then the topic's dead-letter topic
 * {@code <topic>.dlq}. Poison records skip the retries. A failure of the infrastructure (the database is down
 * or restarting, a connection or lock timed out) says nothing about the record: it is retried until the
 * infrastructure is back, never dead-lettered, so an outage does not empty a topic into its DLQ. A schema registry
 * that cannot be reached for a schema not yet cached is such a failure too, and so is any dependency a handler
 * reports down with {@link DependencyUnavailableException}.
 *
 * <p>Whether to go on is asked after every failed attempt of {@link RecordFailures}, which judged that attempt
 * as it happened. Spring's own classification is fixed by a record's first failure: an outage first gave a poison
 * record unlimited retries, and a bug first counted the outages after it.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    static DefaultErrorHandler errorHandler(String consumer, KafkaOperations<?, ?> template,
                                            ConsumerSettings settings, RecordFailures failures, Clock clock,
                                            MeterRegistry meters) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
        recoverer.addHeadersFunction((record, exception) -> {
            Throwable cause = rootCause(exception);
            int attempts = Math.max(1, failures.ownFailures(record));
            Headers headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ATTEMPTS, bytes(String.valueOf(attempts)));
            headers.add(DeadLetterHeaders.FAILED_AT, bytes(clock.instant().toString()));
            headers.add(DeadLetterHeaders.REASON, bytes(DeadLetterHeaders.reasonOf(cause)));
            headers.add(DeadLetterHeaders.CONSUMER, bytes(consumer));
            return headers;
        });
        // Counted once the dead letter is written: a failed write throws, and the record is tried again.
        ConsumerRecordRecoverer counted = (record, exception) -> {
            recoverer.accept(record, exception);
            Counter.builder("orderflow.dlq.records")
                    .description("records written to a dead-letter topic, by original topic and reason")
                    .tag("topic", record.topic())
                    .tag("reason", rootCause(exception).getClass().getSimpleName())
                    .register(meters).increment();
        };
        ExponentialBackOff pauses = new ExponentialBackOff(settings.initialBackoff().toMillis(), 2.0);
        pauses.setMaxInterval(settings.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(counted, pauses);
        // No exception is a verdict by its class alone: the judge has seen each attempt.
        handler.setClassifications(Map.of(), true);
        handler.setBackOffFunction((record, exception) -> () -> {
            BackOffExecution next = pauses.start();
            return () -> failures.givenUp(record) ? BackOffExecution.STOP : next.nextBackOff();
        });
        return handler;
    }

    static boolean isInfrastructureFailure(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof DependencyUnavailableException
                    || cause instanceof PartitionRefusedException) {
                return true;
            }
            // A rollback on a connection the database dropped fails too, and its exception hides the drop.
            if (cause instanceof TransactionSystemException failed && failed.getApplicationException() != null
                    && isInfrastructureFailure(failed.getApplicationException())) {
                return true;
            }
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            // Connection exceptions (08), operator intervention such as a shutdown (57P), insufficient resources (53).
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                    || sql.getSQLState().startsWith("53"))) {
                return true;
            }
        }
        return false;
    }

    /** The exception that says what went wrong, beneath Spring's wrappers. */
    static Throwable rootCause(Throwable exception) {
        Throwable cause = exception;
        while ((cause instanceof ListenerExecutionFailedException || cause instanceof BatchListenerFailedException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
