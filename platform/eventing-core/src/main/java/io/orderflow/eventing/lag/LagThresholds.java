package io.orderflow.eventing.lag;

import java.time.Duration;

/**
 * When a consumer group counts as too far behind.
 *
 * @param maxBehind  the age of the oldest unread record above which a partition is too far behind
 * @param maxRecords the unread records above which a partition is too far behind; zero or less: not checked
 */
public record LagThresholds(Duration maxBehind, long maxRecords) {

    public LagThresholds {
        if (maxBehind == null || maxBehind.isNegative() || maxBehind.isZero()) {
            throw new IllegalArgumentException("the lag threshold must be a positive duration, not " + maxBehind);
        }
    }

    public boolean exceededBy(PartitionLag lag) {
        return lag.behind().compareTo(maxBehind) > 0 || (maxRecords > 0 && lag.records() > maxRecords);
    }
}
