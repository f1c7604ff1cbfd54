package io.orderflow.eventing.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
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
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handling of every consumer: bounded retries with exponential backoff, then the topic's dead-letter
 * topic {@code <topic>.dlq}. Poison records skip the retries. A failure of the infrastructure (the database is down
 * or restarting, a connection or lock timed out) says nothing about the record: it is retried until the
 * infrastructure is back, never dead-lettered, so an outage does not empty a topic into its DLQ. A schema registry
 * that cannot be reached for a schema not yet cached is such a failure too, and so is any dependency a handler
 * reports down with {@link DependencyUnavailableException}.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    static DefaultErrorHandler errorHandler(String consumer, KafkaOperations<?, ?> template,
                                            ConsumerSettings settings, Clock clock, MeterRegistry meters) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
        recoverer.addHeadersFunction((record, exception) -> {
            Throwable cause = rootCause(exception);
            int attempts = cause instanceof PoisonRecordException ? 1 : settings.attempts();
            Headers headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ATTEMPTS, bytes(String.valueOf(attempts)));
            headers.add(DeadLetterHeaders.FAILED_AT, bytes(clock.instant().toString()));
            headers.add(DeadLetterHeaders.REASON, bytes(DeadLetterHeaders.reasonOf(cause)));
            headers.add(DeadLetterHeaders.CONSUMER, bytes(consumer));
            return headers;
        });
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(settings.retries());
        backOff.setInitialInterval(settings.initialBackoff().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(settings.maxBackoff().toMillis());
        // Counted once the dead letter is written: a failed write throws, and the record is tried again.
        ConsumerRecordRecoverer counted = (record, exception) -> {
            recoverer.accept(record, exception);
            Counter.builder("orderflow.dlq.records")
                    .description("records written to a dead-letter topic, by original topic and reason")
                    .tag("topic", record.topic())
                    .tag("reason", rootCause(exception).getClass().getSimpleName())
                    .register(meters).increment();
        };
        DefaultErrorHandler handler = new DefaultErrorHandler(counted, backOff);
        handler.addNotRetryableExceptions(PoisonRecordException.class);
        handler.setBackOffFunction((record, exception) ->
                isInfrastructureFailure(exception) ? untilTheInfrastructureIsBack(settings) : null);
        handler.setReclassifyOnExceptionChange(true);
        return handler;
    }

    static boolean isInfrastructureFailure(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof DependencyUnavailableException) {
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

    private static BackOff untilTheInfrastructureIsBack(ConsumerSettings settings) {
        ExponentialBackOff backOff = new ExponentialBackOff(settings.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(settings.maxBackoff().toMillis());
        return backOff;
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
