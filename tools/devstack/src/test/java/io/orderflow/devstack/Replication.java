package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/** How the replicated stacks' tests check a topic: replicas of every partition, and the replicas a write needs. */
final class Replication {

    private Replication() {}

    static void assertReplicated(Admin admin, Collection<String> topics, int replicas, int minInsyncReplicas)
            throws Exception {
        for (String name : topics) {
            TopicDescription description =
                    admin.describeTopics(Set.of(name)).allTopicNames().get().get(name);
            assertThat(description.partitions())
                    .as(name)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(replicas));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            assertThat(admin.describeConfigs(Set.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("min.insync.replicas")
                            .value())
                    .as(name)
                    .isEqualTo(String.valueOf(minInsyncReplicas));
        }
    }
}
