package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Aggregates whose rows failed for now (their partition offline, the broker slow), left out of the relay's claim
 * until their backoff passes, so that the rows behind them in id order are claimed instead. The backoff doubles with
 * each failure in a row, from the poll interval up to the relay's longest backoff.
 *
 * <p>Kept in memory: another relay still tries such an aggregate, and backs off from it on its own.
 */
final class FailingAggregates {

    private record Failing(int failures, long retryAtNanos) {
    }

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Map<String, Failing> failing = new HashMap<>();

    FailingAggregates(Duration firstBackoff, Duration maxBackoff) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    synchronized void failed(String aggregate) {
        int failures = failing.containsKey(aggregate) ? failing.get(aggregate).failures() + 1 : 1;
        long backoff = Math.min(maxBackoff.toNanos(), firstBackoff.toNanos() << Math.min(failures - 1, 20));
        failing.put(aggregate, new Failing(failures, System.nanoTime() + backoff));
    }

    synchronized void sent(String aggregate) {
        failing.remove(aggregate);
    }

    /** The aggregates to leave out of the next claim; forgets those whose backoff ended long ago. */
    synchronized String[] heldBack() {
        long now = System.nanoTime();
        long forgetAfter = 2 * maxBackoff.toNanos();
        String[] held = failing.entrySet().stream()
                .filter(entry -> entry.getValue().retryAtNanos() - now > 0)
                .map(Map.Entry::getKey)
                .toArray(String[]::new);
        // An aggregate whose rows another relay published is never sent by this one: its entry must not stay.
        for (Iterator<Failing> entries = failing.values().iterator(); entries.hasNext(); ) {
            if (now - entries.next().retryAtNanos() > forgetAfter) {
                entries.remove();
            }
        }
        return held;
    }
}
