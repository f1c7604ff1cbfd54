package io.orderflow.eventing.lag;

import java.time.Duration;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind on one partition.
 *
 * @param committed the group's committed offset: the next record it will read
 * @param end       the partition's end as a read-committed consumer sees it (open transactions excluded)
 * @param behind    how long ago the oldest record the group has not read was written; zero when it has read all
 */
public record PartitionLag(String group, TopicPartition partition, long committed, long end, Duration behind) {

    /** Records the group has still to read. */
    public long records() {
        return Math.max(0, end - committed);
    }
}
