package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.lag.LagMonitor;
import io.orderflow.eventing.lag.LagReport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * DEGRADED while a consumer group is further behind than the thresholds: the service works, but late. Not DOWN:
 * restarting a service because it has a backlog only makes the backlog longer. The starter's defaults
 * ({@link EventingDefaults}) map DEGRADED to HTTP 200 and rank it under DOWN and OUT_OF_SERVICE
 * ({@code management.endpoint.health.status.*}).
 */
public final class ConsumerLagHealth implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "a consumer group is further behind than allowed");

    private final LagMonitor monitor;

    public ConsumerLagHealth(LagMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        LagReport report = monitor.report();
        Health.Builder health = report.degraded()
                ? Health.status(DEGRADED)
                : report.unreadable().isEmpty() ? Health.up() : Health.unknown();
        Map<String, Object> groups = new LinkedHashMap<>();
        for (String group : monitor.groups()) {
            groups.put(
                    group,
                    report.unreadable().containsKey(group)
                            ? Map.of("error", report.unreadable().get(group))
                            : Map.of(
                                    "records",
                                    report.records(group),
                                    "secondsBehind",
                                    report.behind(group).toSeconds()));
        }
        return health.withDetail("groups", groups)
                .withDetail("maxSecondsBehind", monitor.thresholds().maxBehind().toSeconds())
                .withDetail("takenAt", report.takenAt().toString())
                .build();
    }
}
