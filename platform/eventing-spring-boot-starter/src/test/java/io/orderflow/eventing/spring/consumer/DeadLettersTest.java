package io.orderflow.eventing.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.eventing.consumer.DependencyUnavailableException;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

/** Which failures wait for the infrastructure instead of counting towards the dead-letter topic. */
class DeadLettersTest {

    @Test
    void anUnreachableSchemaRegistryIsAnOutageToWaitOutNotABadRecord() {
        var unreachable = new SchemaRegistryUnavailableException("connection refused", new IOException("refused"));
        assertThat(DeadLetters.isInfrastructureFailure(unreachable)).isTrue();
        assertThat(DeadLetters.isInfrastructureFailure(new ListenerExecutionFailedException("listener", unreachable)))
                .as("beneath Spring's wrapper")
                .isTrue();
    }

    @Test
    void aDependencyReportedDownIsAnOutageToWaitOut() {
        var down = new DependencyUnavailableException("payment provider circuit open", null);
        assertThat(DeadLetters.isInfrastructureFailure(new RuntimeException("handler", down)))
                .isTrue();
    }

    @Test
    void aRecordTheRegistryCannotExplainIsPoisonNotAnOutage() {
        assertThat(DeadLetters.isInfrastructureFailure(new PoisonRecordException("unknown schema id 42")))
                .isFalse();
        assertThat(DeadLetters.isInfrastructureFailure(new IllegalStateException("handler bug")))
                .isFalse();
    }
}
