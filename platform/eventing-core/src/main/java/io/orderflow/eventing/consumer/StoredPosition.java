package io.orderflow.eventing.consumer;

import java.util.Optional;

/**
 * Where a consumer goes on from on one partition, and the id of the topic it got there on ({@code null} for a
 * position stored before topic ids were kept).
 */
public record StoredPosition(long nextOffset, String topicId) {

    /**
     * Why this position cannot be trusted on the topic as it is now, if it cannot: it belongs to another topic of the
     * same name, or lies beyond the partition's last record. Records below it would otherwise be passed by as applied
     * when they never were.
     */
    public Optional<String> untrustedOn(String currentTopicId, long logEndOffset) {
        if (topicId != null && !topicId.equals(currentTopicId)) {
            return Optional.of("the stored position " + nextOffset + " was taken on topic id " + topicId
                    + ", but the topic now has id " + currentTopicId + " (deleted and created again, or another"
                    + " cluster)");
        }
        if (nextOffset > logEndOffset) {
            return Optional.of("the stored position " + nextOffset + " is beyond the partition's log end "
                    + logEndOffset + " (the topic was created again, the cluster rebuilt or failed over, or records"
                    + " were lost)");
        }
        return Optional.empty();
    }
}
