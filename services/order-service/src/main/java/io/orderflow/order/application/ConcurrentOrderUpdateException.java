package io.orderflow.order.application;

import java.util.UUID;

/** Another writer appended to the order after it was loaded: load it again and decide again. */
public class ConcurrentOrderUpdateException extends RuntimeException {
    public ConcurrentOrderUpdateException(UUID orderId, int expectedVersion) {
        super("order " + orderId + " changed after version " + expectedVersion);
    }
}
