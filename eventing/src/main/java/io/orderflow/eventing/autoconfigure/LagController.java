package io.orderflow.eventing.autoconfigure;

import io.orderflow.eventing.lag.LagMonitor;
import io.orderflow.eventing.lag.LagReport;
import io.orderflow.eventing.lag.PartitionLag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/lag}: the service's consumer lag per group, topic and partition. */
@RestController
public final class LagController {

    private final LagMonitor monitor;
    private final String service;

    public LagController(LagMonitor monitor, String service) {
        this.monitor = monitor;
        this.service = service;
    }

    /** The last reading (at most one interval old), or, with {@code fresh=true}, one taken now. */
    @GetMapping("/ops/lag")
    public LagResponse lag(@RequestParam(defaultValue = "false") boolean fresh) {
        LagReport report = fresh ? monitor.refresh() : monitor.report();
        List<GroupLag> groups = monitor.groups().stream().map(group -> new GroupLag(group,
                report.records(group), seconds(report.behind(group).toMillis()), report.unreadable().get(group),
                report.partitions().stream().filter(lag -> lag.group().equals(group))
                        .map(LagController::partition).toList())).toList();
        return new LagResponse(service, report.takenAt(), report.degraded(),
                seconds(monitor.thresholds().maxBehind().toMillis()), monitor.thresholds().maxRecords(), groups);
    }

    private static PartitionLagResponse partition(PartitionLag lag) {
        return new PartitionLagResponse(lag.partition().topic(), lag.partition().partition(), lag.committed(),
                lag.end(), lag.records(), seconds(lag.behind().toMillis()));
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    public record LagResponse(String service, Instant takenAt, boolean degraded, double maxSecondsBehind,
                              long maxRecords, List<GroupLag> groups) {
    }

    /** @param error why the group's lag could not be read; absent when it could */
    public record GroupLag(String group, long records, double secondsBehind, String error,
                           List<PartitionLagResponse> partitions) {
    }

    public record PartitionLagResponse(String topic, int partition, long committed, long end, long records,
                                       double secondsBehind) {
    }
}
