package io.orderflow.eventing.outbox;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Tells a row the broker will never take from a failure that passes or that is not the row's fault. */
final class SendFailures {

    private SendFailures() {}

    /**
     * Whether sending the row again can never succeed: only errors that belong to the record itself, an allow-list.
     * Parking is for the row's own fault; everything else is failed for now, retried after a backoff, counted and
     * logged. A deny-list would park rows for errors nobody foresaw: a broker answers {@code UnknownServerException}
     * for its own unexpected failures (during a restart, say), and configuration errors
     * ({@code InvalidRequiredAcksException}, {@code PolicyViolationException}, authorization, the producer's
     * session) would park one row of every aggregate, stopping every saga until an operator acts.
     *
     * <ul>
     *   <li>{@code RecordTooLargeException}, {@code RecordBatchTooLargeException}: the record is larger than its
     *       topic or the producer takes;</li>
     *   <li>{@code InvalidRecordException}: the broker's validation refused the record's content;</li>
     *   <li>{@code InvalidTopicException}: the row names a topic that cannot exist.</li>
     * </ul>
     *
     * <p>Not {@code InvalidTimestampException}: the record's timestamp is the relay's clock at send time, not the
     * row's, so a skewed relay clock would park every row; fixed clock, the same row goes through.
     */
    static boolean canNeverBeSent(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException
                || failure instanceof InvalidTopicException;
    }
}
