package io.orderflow.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

class SendFailuresTest {

    @Test
    void onlyErrorsThatBelongToTheRecordMeanItCanNeverBeSent() {
        List<Throwable> theRecords = List.of(
                new RecordTooLargeException("too large"),
                new RecordBatchTooLargeException("batch too large"),
                new InvalidRecordException("invalid"),
                new InvalidTopicException("invalid topic"));
        List<Throwable> notTheRecords = List.of(
                new UnknownServerException("broker restarting"),
                new InvalidRequiredAcksException("acks"),
                new PolicyViolationException("policy"),
                new InvalidTimestampException("relay clock skewed"),
                new AuthorizationException("denied"),
                new NotEnoughReplicasException("isr"),
                new TimeoutException("offline"),
                new java.util.concurrent.TimeoutException("no answer"),
                new IllegalStateException("unexpected"));

        assertThat(theRecords).allMatch(SendFailures::canNeverBeSent);
        assertThat(notTheRecords).noneMatch(SendFailures::canNeverBeSent);
    }
}
