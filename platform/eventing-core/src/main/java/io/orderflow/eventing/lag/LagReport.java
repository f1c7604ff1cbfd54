package io.orderflow.eventing.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lag of a service's consumer groups at one moment.
 *
 * @param takenAt    when it was read from the broker
 * @param partitions every partition each group has committed an offset for
 * @param tooFar     the partitions above the thresholds
 * @param unreadable the groups whose lag could not be read, with the reason
 */
public record LagReport(
        Instant takenAt, List<PartitionLag> partitions, List<PartitionLag> tooFar, Map<String, String> unreadable) {

    public LagReport {
        partitions = List.copyOf(partitions);
        tooFar = List.copyOf(tooFar);
        unreadable = Map.copyOf(unreadable);
    }

    public boolean degraded() {
        return !tooFar.isEmpty();
    }

    public long records(String group) {
        return ofGroup(group).mapToLong(PartitionLag::records).sum();
    }

    /** The age of the group's oldest unread record, over all its partitions. */
    public Duration behind(String group) {
        return ofGroup(group)
                .map(PartitionLag::behind)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
    }

    public Optional<PartitionLag> worst() {
        return partitions.stream()
                .max(Comparator.comparing(PartitionLag::behind).thenComparingLong(PartitionLag::records));
    }

    private java.util.stream.Stream<PartitionLag> ofGroup(String group) {
        return partitions.stream().filter(lag -> lag.group().equals(group));
    }
}
