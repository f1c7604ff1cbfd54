package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.lag.LagMonitor;
import io.orderflow.eventing.lag.LagReport;
import io.orderflow.eventing.lag.PartitionLag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code GET /ops/lag}: the service's consumer lag per group, topic and partition. A functional route rather than a
 * {@code @RestController}, so that an application scanning this package does not pick it up a second time.
 */
public final class LagRoutes {

    private final LagMonitor monitor;
    private final String service;

    public LagRoutes(LagMonitor monitor, String service) {
        this.monitor = monitor;
        this.service = service;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(
                        "/ops/lag",
                        request -> ServerResponse.ok()
                                .body(lag(request.param("fresh")
                                        .map(Boolean::parseBoolean)
                                        .orElse(false))))
                .build();
    }

    /** The last reading (at most one interval old), or, with {@code fresh=true}, one taken now. */
    public LagResponse lag(boolean fresh) {
        LagReport report = fresh ? monitor.refresh() : monitor.report();
        List<GroupLag> groups = monitor.groups().stream()
                .map(group -> new GroupLag(
                        group,
                        report.records(group),
                        seconds(report.behind(group).toMillis()),
                        report.unreadable().get(group),
                        report.partitions().stream()
                                .filter(lag -> lag.group().equals(group))
                                .map(LagRoutes::partition)
                                .toList()))
                .toList();
        return new LagResponse(
                service,
                report.takenAt(),
                report.degraded(),
                seconds(monitor.thresholds().maxBehind().toMillis()),
                monitor.thresholds().maxRecords(),
                groups);
    }

    private static PartitionLagResponse partition(PartitionLag lag) {
        return new PartitionLagResponse(
                lag.partition().topic(),
                lag.partition().partition(),
                lag.committed(),
                lag.end(),
                lag.records(),
                seconds(lag.behind().toMillis()));
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    public record LagResponse(
            String service,
            Instant takenAt,
            boolean degraded,
            double maxSecondsBehind,
            long maxRecords,
            List<GroupLag> groups) {}

    /** @param error why the group's lag could not be read; absent when it could */
    public record GroupLag(
            String group, long records, double secondsBehind, String error, List<PartitionLagResponse> partitions) {}

    public record PartitionLagResponse(
            String topic, int partition, long committed, long end, long records, double secondsBehind) {}
}
