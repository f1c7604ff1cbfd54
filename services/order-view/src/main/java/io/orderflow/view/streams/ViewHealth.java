package io.orderflow.view.streams;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP while the streams run or rebalance; DOWN when they stopped or failed, since no query can be answered then. */
@Component
class ViewHealth implements HealthIndicator {

    private final ViewStreams streams;

    ViewHealth(ViewStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        return streams.state()
                .map(state -> (state.isRunningOrRebalancing() ? Health.up() : Health.down())
                        .withDetail("state", state.name())
                        .build())
                .orElseGet(
                        () -> Health.down().withDetail("state", "not started").build());
    }
}
