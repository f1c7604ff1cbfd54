package io.orderflow.eventing.lag;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.orderflow.eventing.support.Periodic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lag of a service's consumer groups at a fixed interval and keeps the last report: for the health check
 * and {@code /ops/lag}, which then answer without a broker round trip, and for the gauges
 * {@code orderflow.consumer.lag.records} and {@code orderflow.consumer.lag.seconds} (tags group, topic, partition).
 * While a partition is above the thresholds it logs a warning, repeated every {@link #WARN_EVERY} while it lasts,
 * and one line when all are back under.
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final ConsumerLag lag;
    private final List<String> groups;
    private final LagThresholds thresholds;
    private final Duration interval;
    private final Clock clock;
    private final MultiGauge records;
    private final MultiGauge seconds;
    private final Periodic schedule = new Periodic("consumer-lag");
    private volatile LagReport last;
    private Instant lastWarning = Instant.MIN;

    public LagMonitor(
            ConsumerLag lag,
            List<String> groups,
            LagThresholds thresholds,
            Duration interval,
            MeterRegistry meters,
            Clock clock) {
        this.lag = lag;
        this.groups = List.copyOf(groups);
        this.thresholds = thresholds;
        this.interval = interval;
        this.clock = clock;
        this.records = MultiGauge.builder("orderflow.consumer.lag.records")
                .description("records the group has still to read (read-committed end minus committed offset)")
                .register(meters);
        this.seconds = MultiGauge.builder("orderflow.consumer.lag.seconds")
                .description("age of the oldest record the group has not read; 0 when it has read all")
                .baseUnit("seconds")
                .register(meters);
    }

    public void start() {
        schedule.start(this::refresh, Duration.ZERO, interval);
    }

    public List<String> groups() {
        return groups;
    }

    public LagThresholds thresholds() {
        return thresholds;
    }

    /**
     * The last report, without waiting for the broker; before the first reading has finished, every group is
     * reported unreadable ("not read yet").
     */
    public LagReport report() {
        LagReport report = last;
        if (report != null) {
            return report;
        }
        Map<String, String> notYet = new LinkedHashMap<>();
        groups.forEach(group -> notYet.put(group, "not read yet"));
        return new LagReport(clock.instant(), List.of(), List.of(), notYet);
    }

    /** Reads every group's lag now, updates the gauges and warns when a partition is too far behind. */
    public synchronized LagReport refresh() {
        List<PartitionLag> partitions = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String group : groups) {
            try {
                partitions.addAll(lag.of(group));
            } catch (RuntimeException e) {
                unreadable.put(group, e.getMessage());
            }
        }
        List<PartitionLag> tooFar =
                partitions.stream().filter(thresholds::exceededBy).toList();
        LagReport report = new LagReport(clock.instant(), partitions, tooFar, unreadable);
        records.register(
                partitions.stream()
                        .map(partition -> MultiGauge.Row.of(tags(partition), partition.records()))
                        .collect(Collectors.toList()),
                true);
        seconds.register(
                partitions.stream()
                        .map(partition -> MultiGauge.Row.of(
                                tags(partition), partition.behind().toMillis() / 1000.0))
                        .collect(Collectors.toList()),
                true);
        warnOnChange(last, report);
        last = report;
        return report;
    }

    private void warnOnChange(LagReport before, LagReport now) {
        boolean wasDegraded = before != null && before.degraded();
        if (now.degraded() && (!wasDegraded || !now.takenAt().isBefore(lastWarning.plus(WARN_EVERY)))) {
            lastWarning = now.takenAt();
            log.warn(
                    "Consumer lag above the threshold ({}) on {} partition(s): {}",
                    describe(thresholds),
                    now.tooFar().size(),
                    now.tooFar().stream().limit(10).map(LagMonitor::describe).collect(Collectors.joining("; ")));
        } else if (!now.degraded() && wasDegraded) {
            log.info("Consumer lag back under the threshold on every partition");
        }
        now.unreadable().forEach((group, reason) -> {
            if (before == null || !before.unreadable().containsKey(group)) {
                log.warn("Cannot read the lag of consumer group {}: {}", group, reason);
            }
        });
    }

    private static String describe(LagThresholds thresholds) {
        String age = thresholds.maxBehind().toMillis() / 1000.0 + " s behind";
        return thresholds.maxRecords() > 0 ? age + " or " + thresholds.maxRecords() + " records" : age;
    }

    private static String describe(PartitionLag lag) {
        return lag.group() + " " + lag.partition() + ": " + lag.records() + " records, "
                + lag.behind().toSeconds() + " s behind";
    }

    private static Tags tags(PartitionLag lag) {
        return Tags.of(
                "group",
                lag.group(),
                "topic",
                lag.partition().topic(),
                "partition",
                Integer.toString(lag.partition().partition()));
    }

    @Override
    public void close() {
        schedule.close();
        lag.close();
    }
}
