package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How a writer tells the relay of its own process that outbox rows have just committed, so that the relay does not
 * wait for its next poll.
 *
 * <p>It replaces PostgreSQL's NOTIFY, which takes one lock for the whole cluster at commit and holds it through the
 * commit's WAL flush: every transaction that notifies commits one after another, in every service sharing the
 * server. Rows written by another process are still found by the relay's poll.
 */
public final class OutboxSignal {

    private final AtomicBoolean raised = new AtomicBoolean();
    private volatile Thread waiter;

    /** Wakes the waiting relay, or makes its next wait return at once; cheap enough to call after every commit. */
    public void raise() {
        if (!raised.getAndSet(true)) {
            Thread current = waiter;
            if (current != null) {
                LockSupport.unpark(current);
            }
        }
    }

    /**
     * Waits until the signal is raised or the timeout passes, and lowers it. Meant for one waiting thread, the relay.
     *
     * @return whether the signal was raised
     */
    boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiter = Thread.currentThread();
        try {
            while (!raised.getAndSet(false)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
