package io.orderflow.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.topic.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {

    private final Map<String, Object> admin =
            Map.of("bootstrap.servers", TestStack.get().bootstrapServers());

    @Test
    void createsTheTopicAndItsDeadLetterTopicWithTheirSettingsOnceOnly() throws Exception {
        Topic topic = Topic.of("test.provisioned-" + UUID.randomUUID(), CounterIncremented.class);
        TopicProvisioner provisioner = new TopicProvisioner(
                admin, new TopicSettings(4, (short) 1, 1, Duration.ofDays(3), Duration.ofDays(30)));

        assertThat(provisioner.provision(List.of(topic, topic), Duration.ofSeconds(30)))
                .containsExactly(topic.name(), topic.deadLetterTopic());
        provisioner.provision(List.of(topic), Duration.ofSeconds(30));

        try (Admin client = Admin.create(admin)) {
            var descriptions = client.describeTopics(List.of(topic.name(), topic.deadLetterTopic()))
                    .allTopicNames()
                    .get();
            assertThat(descriptions.get(topic.name()).partitions()).hasSize(4);
            assertThat(descriptions.get(topic.deadLetterTopic()).partitions()).hasSize(4);
            Config events = config(client, topic.name());
            Config deadLetters = config(client, topic.deadLetterTopic());
            assertThat(events.get("compression.type").value()).isEqualTo("lz4");
            assertThat(events.get("retention.ms").value())
                    .isEqualTo(String.valueOf(Duration.ofDays(3).toMillis()));
            assertThat(events.get("min.insync.replicas").value()).isEqualTo("1");
            assertThat(deadLetters.get("retention.ms").value())
                    .isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
        }
    }

    @Test
    void byDefaultEventTopicsKeepEveryRecordSoAReadSideCanBeRebuiltFromThem() throws Exception {
        Topic topic = Topic.of("test.provisioned-" + UUID.randomUUID(), CounterIncremented.class);
        new TopicProvisioner(admin, TopicSettings.defaults()).provision(List.of(topic), Duration.ofSeconds(30));

        try (Admin client = Admin.create(admin)) {
            assertThat(config(client, topic.name()).get("retention.ms").value()).isEqualTo("-1");
            assertThat(config(client, topic.deadLetterTopic())
                            .get("retention.ms")
                            .value())
                    .isEqualTo(String.valueOf(Duration.ofDays(28).toMillis()));
        }
    }

    @Test
    void topicsBelowTheConfiguredReplicationAreNamedWithWhatDiffers() {
        Topic topic = Topic.of("test.under-replicated-" + UUID.randomUUID(), CounterIncremented.class);
        // Created earlier with one replica and min.insync.replicas 1, the only kind one broker can hold.
        var names =
                new TopicProvisioner(admin, TopicSettings.defaults()).provision(List.of(topic), Duration.ofSeconds(30));

        TopicProvisioner production = new TopicProvisioner(
                admin, new TopicSettings(6, (short) 3, 2, TopicSettings.FOREVER, Duration.ofDays(28)));

        assertThat(production.replicationMisfits(names, Duration.ofSeconds(30)))
                .containsExactly(
                        topic.name() + " has 1 replica(s), 3 configured",
                        topic.name() + " has min.insync.replicas 1, 2 configured",
                        topic.deadLetterTopic() + " has 1 replica(s), 3 configured",
                        topic.deadLetterTopic() + " has min.insync.replicas 1, 2 configured");
        assertThat(new TopicProvisioner(admin, TopicSettings.defaults())
                        .replicationMisfits(names, Duration.ofSeconds(30)))
                .isEmpty();
    }

    @Test
    void aNegativeRetentionOtherThanForeverIsRefused() {
        assertThatThrownBy(() -> new TopicSettings(1, (short) 1, 1, Duration.ofMillis(-5), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1ms");
    }

    /**
     * A topic's configuration, once the broker that answers knows the topic: its creation is acknowledged by the
     * controller, and the broker's metadata may follow a moment later (UnknownTopicOrPartitionException meanwhile).
     */
    private static Config config(Admin client, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(
                        () -> client.describeConfigs(List.of(resource))
                                .all()
                                .get()
                                .get(resource),
                        config -> config != null);
    }
}
