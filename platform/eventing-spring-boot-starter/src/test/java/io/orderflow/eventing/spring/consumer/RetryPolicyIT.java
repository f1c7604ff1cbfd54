package io.orderflow.eventing.spring.consumer;

import static io.orderflow.eventing.spring.consumer.ConsumerUnderTest.Failure.BUG;
import static io.orderflow.eventing.spring.consumer.ConsumerUnderTest.Failure.OUTAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.eventing.spring.consumer.ConsumerUnderTest.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each failed attempt of a record is judged on its own: an outage is waited out without counting, a failure of the
 * record counts towards its bounded retries, whatever came before.
 */
class RetryPolicyIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Attempts of a failing record after the one inside the whole batch, before its dead letter. */
    private static final int COUNTED = ConsumerUnderTest.SETTINGS.attempts();

    @Test
    void aRecordThatFirstFailedInAnOutageIsDeadLetteredOnceItTurnsOutToBePoison() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            // Given a record that meets a database outage first, then fails on its own every time
            consumer.alwaysFailOn(2, List.of(OUTAGE, OUTAGE, OUTAGE));
            consumer.records.sendAll(
                    List.of(consumer.increment(0, 1), consumer.increment(0, 2), consumer.increment(0, 3)));

            // When the consumer has tried it more often than the outage and the retries together
            consumer.start();
            await().atMost(WAIT)
                    .until(() -> !consumer.deadLetters().isEmpty() || consumer.attemptsOf(2) > 3 + COUNTED + 2);

            // Then it is dead-lettered after its bounded retries, and the partition flows on
            assertThat(consumer.deadLetterSummaries())
                    .singleElement()
                    .asString()
                    .startsWith("0@1 after " + COUNTED + ": IllegalStateException: bug on sequence 2");
            await().atMost(WAIT).until(() -> consumer.applied().size() == 2);
            assertThat(consumer.applied()).containsExactly(1, 3);
            assertThat(consumer.attemptsOf(2)).isEqualTo(3 + COUNTED);
        }
    }

    @Test
    void aRecordRetryingABugIsNotDeadLetteredWhenTheDatabaseGoesDownMeanwhile() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            // Given a record that fails on its own twice, then meets an outage longer than its retries, then works
            List<Failure> failures = new ArrayList<>(List.of(BUG, BUG));
            for (int i = 0; i < COUNTED + 2; i++) {
                failures.add(OUTAGE);
            }
            consumer.failOn(2, failures);
            consumer.records.sendAll(
                    List.of(consumer.increment(0, 1), consumer.increment(0, 2), consumer.increment(0, 3)));

            // When the consumer runs until the record has been applied or dead-lettered
            consumer.start();
            await().atMost(WAIT)
                    .until(() -> !consumer.deadLetters().isEmpty()
                            || consumer.applied().size() == 3);

            // Then the outage did not count: it is applied, once, and nothing is dead-lettered
            assertThat(consumer.deadLetterSummaries()).isEmpty();
            assertThat(consumer.applied()).containsExactly(1, 2, 3);
            assertThat(consumer.attemptsOf(2)).isEqualTo(failures.size() + 1);
        }
    }

    @Test
    void aRecordFailingOnItsOwnBetweenOutagesIsStillDeadLetteredAfterItsBoundedRetries() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            // Given a record that fails on its own every time the database is not down (a flapping database)
            consumer.alwaysFailOn(2, List.of(BUG, BUG, OUTAGE, BUG, OUTAGE, BUG, OUTAGE));
            consumer.records.sendAll(
                    List.of(consumer.increment(0, 1), consumer.increment(0, 2), consumer.increment(0, 3)));

            // When the consumer has tried it more often than the outages and the retries together
            consumer.start();
            await().atMost(WAIT)
                    .until(() -> !consumer.deadLetters().isEmpty() || consumer.attemptsOf(2) > 1 + COUNTED + 3 + 2);

            // Then each failure of its own counted, the outages did not, and the partition flows on
            assertThat(consumer.deadLetterSummaries())
                    .singleElement()
                    .asString()
                    .startsWith("0@1 after " + COUNTED + ": IllegalStateException: bug on sequence 2");
            assertThat(consumer.attemptsOf(2)).isEqualTo(1 + COUNTED + 3);
            await().atMost(WAIT).until(() -> consumer.applied().size() == 2);
            assertThat(consumer.applied()).containsExactly(1, 3);
        }
    }
}
