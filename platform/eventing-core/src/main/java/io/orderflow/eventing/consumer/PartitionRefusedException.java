package io.orderflow.eventing.consumer;

/**
 * A batch met a partition its consumer refuses ({@link RefusedPartitions}). Not the record's fault: it is never
 * dead-lettered, and waits, paused, for an operator.
 */
public final class PartitionRefusedException extends RuntimeException {
    public PartitionRefusedException(String message) {
        super(message);
    }
}
