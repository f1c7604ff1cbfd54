package io.orderflow.eventing.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.spring.consumer.FaultyRegistry.Fault;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record that cannot be decoded right now either waits (the registry's fault) or goes to the dead-letter topic
 * alone, named (its own fault): never the whole poll with it.
 */
class DecodingFailureIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static List<Fault> registryFaults() {
        return List.of(
                new Fault("401 unauthorized", 401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"),
                new Fault("403 forbidden", 403, "{\"error_code\":40301,\"message\":\"User cannot access\"}"),
                new Fault("429 throttled", 429, "{\"error_code\":42901,\"message\":\"Too many requests\"}"),
                new Fault("an answer that is no schema", 200, "{\"schema\":\"this is not an Avro schema\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registryFaults")
    void aRegistryThatRefusesThrottlesOrGarblesIsWaitedOutNotDeadLettered(Fault fault) {
        try (FaultyRegistry registry = new FaultyRegistry(TestStack.get().schemaRegistryUrl());
                ConsumerUnderTest consumer = new ConsumerUnderTest(registry.url())) {
            // Given a registry that answers every lookup of a schema this consumer has not cached yet with a fault
            registry.failWith(fault);
            consumer.records.sendAll(List.of(
                    consumer.increment(0, 1),
                    consumer.increment(0, 2),
                    consumer.increment(1, 3),
                    consumer.increment(1, 4)));

            // When the consumer has asked it more often than a failing record is tried before its dead letter
            consumer.start();
            int moreThanTheRetries = ConsumerUnderTest.SETTINGS.attempts();
            await().atMost(WAIT)
                    .until(() -> registry.faultsAnswered() > moreThanTheRetries
                            || !consumer.deadLetters().isEmpty());

            // Then nothing was dead-lettered, nothing applied; once the registry is fixed, everything is applied
            assertThat(consumer.deadLetterSummaries())
                    .as("dead letters while the registry answered " + fault)
                    .isEmpty();
            assertThat(consumer.applied()).isEmpty();
            registry.heal();
            await().atMost(WAIT).until(() -> consumer.applied().size() == 4);
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 4);
            assertThat(consumer.deadLetterSummaries()).isEmpty();
        }
    }

    @Test
    void aHeaderWithoutAValueDeadLettersItsRecordAloneNamingItAndTheRestOfThePollIsApplied() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            // Given one poll across two partitions, one record of which has a header without a value
            ProducerRecord<String, byte[]> valueless = consumer.increment(0, 2);
            valueless.headers().add(DeadLetterHeaders.REPLAY_FOR, null);
            consumer.records.sendAll(List.of(
                    consumer.increment(0, 1),
                    valueless,
                    consumer.increment(0, 3),
                    consumer.increment(1, 4),
                    consumer.increment(1, 5)));

            // When the consumer reads them
            consumer.start();
            await().atMost(WAIT)
                    .until(() -> consumer.applied().size() == 4
                            || consumer.deadLetters().size() > 1);

            // Then that record alone is dead-lettered, saying why, and every other one is applied
            assertThat(consumer.deadLetterSummaries())
                    .singleElement()
                    .asString()
                    .startsWith("0@1 after 1: ")
                    .contains("header '" + DeadLetterHeaders.REPLAY_FOR + "' has no value");
            assertThat(consumer.applied()).containsExactly(1, 3, 4, 5);
        }
    }
}
