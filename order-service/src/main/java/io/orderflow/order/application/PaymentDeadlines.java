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

    /** Due deadlines, locked until the transaction ends; deadlines another watcher holds are skipped. */
    List<UUID> claimDue(Instant now, int limit);

    void remove(UUID orderId);
}
