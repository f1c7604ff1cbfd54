package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while a consumer refuses a partition because its stored position there belongs to another topic of the same
 * name (deleted and created again, another cluster): that partition's events are not handled, and will not be until
 * an operator accepts the topic as it is now (docs/eventing.md). Unlike a backlog, this never heals by itself.
 */
final class ConsumerPositionsHealth implements HealthIndicator {

    private final EventConsumerContainers containers;

    ConsumerPositionsHealth(EventConsumerContainers containers) {
        this.containers = containers;
    }

    @Override
    public Health health() {
        Map<String, String> refused = containers.refusedPartitions();
        return (refused.isEmpty() ? Health.up() : Health.down())
                .withDetail("refusedPartitions", refused)
                .build();
    }
}
