package io.orderflow.eventing.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topics short of the configured replication: a warning locally, a refusal where replication is required. */
class ReplicationCheckTest {

    private static final List<String> MISFITS = List.of("orders.events has 1 replica(s), 3 configured");

    @Test
    void aServiceThatRequiresReplicationRefusesToStartNamingTheTopicAndTheFix() {
        assertThatThrownBy(() -> ReplicationCheck.report(MISFITS, topics(true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replication-factor=3 / min-insync-replicas=2")
                .hasMessageContaining("orders.events has 1 replica(s), 3 configured")
                .hasMessageContaining("kafka-reassign-partitions");
    }

    @Test
    void otherwiseItStartsAndWarns() {
        assertThatCode(() -> ReplicationCheck.report(MISFITS, topics(false))).doesNotThrowAnyException();
    }

    @Test
    void topicsThatFitAreNoReasonToRefuse() {
        assertThatCode(() -> ReplicationCheck.report(List.of(), topics(true))).doesNotThrowAnyException();
    }

    private static EventingProperties.Topics topics(boolean requireReplication) {
        return new EventingProperties.Topics(
                true,
                6,
                (short) 3,
                2,
                Duration.ofMillis(-1),
                Duration.ofDays(28),
                Duration.ofSeconds(60),
                requireReplication);
    }
}
