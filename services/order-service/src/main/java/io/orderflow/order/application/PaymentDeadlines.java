package io.orderflow.order.application;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The persisted payment deadlines of orders; every method runs in the caller's transaction. */
public interface PaymentDeadlines {

    void schedule(UUID orderId, Instant dueAt);

    /**
     * Forgets an order's deadline unless the deadline watcher holds it right now, in which case the watcher finds the
     * order paid and drops the deadline itself: a consumer never waits for the watcher.
     */
    void clearUnlessClaimed(UUID orderId);

    /** Orders whose deadline is due, oldest first; nothing is locked. */
    List<UUID> due(Instant now, int limit);

    /** Locks the order's deadline until the transaction ends, if it is still due and no other watcher holds it. */
    boolean claim(UUID orderId, Instant now);

    void remove(UUID orderId);

    /** Expiring the deadline failed: it is tried again at {@code retryAt}, and the error is kept for operators. */
    void failed(UUID orderId, String error, Instant retryAt);

    /** The order's failed attempts so far. */
    int failedAttempts(UUID orderId);

    /** Deadlines whose last expiry failed. */
    long failing();
}
