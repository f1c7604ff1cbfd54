package io.orderflow.eventing.outbox;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Tells a row the broker will never take from a failure that passes or that is not the row's fault. */
final class SendFailures {

    private SendFailures() {
    }

    /**
     * Whether sending the row again can never succeed: a non-retriable error the broker or the producer gave for
     * this record ({@code RecordTooLargeException}, {@code InvalidTopicException}, …). Retriable errors (broker
     * down, partition offline, timeouts) pass; so do errors about the relay rather than the row (its rights, its
     * producer's session with the broker), which an operator fixes without touching the row, and which would
     * otherwise park every row of the outbox.
     */
    static boolean canNeverBeSent(Throwable failure) {
        return failure instanceof ApiException
                && !(failure instanceof RetriableException)
                && !(failure instanceof AuthorizationException)
                && !(failure instanceof AuthenticationException)
                && !(failure instanceof UnsupportedVersionException)
                && !(failure instanceof OutOfOrderSequenceException)
                && !(failure instanceof ProducerFencedException)
                && !(failure instanceof InvalidProducerEpochException);
    }
}
