package io.orderflow.eventing.spring.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.consumer.DependencyUnavailableException;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.Outages;
import io.orderflow.eventing.consumer.RecordFailures;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
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

    /**
     * JDBC's and the library's outages, and Spring's data-access and transaction exceptions that stand for one: the
     * translated ones may hide the SQL state, and a rollback on a connection the database dropped hides the drop.
     */
    static final Outages OUTAGES = new Outages(DeadLetters::isSpringOutage);

    private DeadLetters() {}

    static DefaultErrorHandler errorHandler(
            EventConsumer consumer,
            KafkaOperations<?, ?> template,
            ConsumerSettings settings,
            RecordFailures failures,
            Clock clock,
            MeterRegistry meters) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                template, (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
        recoverer.addHeadersFunction((record, exception) -> {
            Throwable cause = rootCause(exception);
            int attempts = Math.max(1, failures.ownFailures(record));
            Headers headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ATTEMPTS, bytes(String.valueOf(attempts)));
            headers.add(DeadLetterHeaders.FAILED_AT, bytes(clock.instant().toString()));
            headers.add(DeadLetterHeaders.REASON, bytes(DeadLetterHeaders.reasonOf(cause)));
            // The name the record's topic is recorded under: the subscription that replays address, whichever
            // version of the service runs then (a topic that joined this subscription keeps its former name).
            headers.add(DeadLetterHeaders.CONSUMER, bytes(consumer.recordedAs(record.topic())));
            return headers;
        });
        // Counted once the dead letter is written: a failed write throws, and the record is tried again.
        ConsumerRecordRecoverer counted = (record, exception) -> {
            recoverer.accept(record, exception);
            Counter.builder("orderflow.dlq.records")
                    .description("records written to a dead-letter topic, by original topic and reason")
                    .tag("topic", record.topic())
                    .tag("reason", rootCause(exception).getClass().getSimpleName())
                    .register(meters)
                    .increment();
        };
        ExponentialBackOff pauses =
                new ExponentialBackOff(settings.initialBackoff().toMillis(), 2.0);
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
        return OUTAGES.test(exception);
    }

    /** One exception of a chain, as Spring's data access and transactions report an outage. */
    private static boolean isSpringOutage(Throwable cause) {
        // A rollback on a connection the database dropped fails too, and its exception hides the drop.
        if (cause instanceof TransactionSystemException failed
                && failed.getApplicationException() != null
                && OUTAGES.test(failed.getApplicationException())) {
            return true;
        }
        return cause instanceof DataAccessResourceFailureException
                || cause instanceof TransientDataAccessException
                || cause instanceof RecoverableDataAccessException;
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
