package io.orderflow.eventing.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Things whose sends failed for now (an aggregate, a partition), left alone until their backoff passes. The backoff
 * doubles with each failure in a row, from the first backoff up to the longest one.
 *
 * <p>Kept in memory: another relay still tries such a thing, and backs off from it on its own.
 */
final class Backoffs<K> {

    private record Failing(int failures, long retryAtNanos) {}

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Map<K, Failing> failing = new HashMap<>();

    Backoffs(Duration firstBackoff, Duration maxBackoff) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    synchronized void failed(K key) {
        int failures = failing.containsKey(key) ? failing.get(key).failures() + 1 : 1;
        long backoff = Math.min(maxBackoff.toNanos(), firstBackoff.toNanos() << Math.min(failures - 1, 20));
        failing.put(key, new Failing(failures, System.nanoTime() + backoff));
    }

    synchronized void succeeded(K key) {
        failing.remove(key);
    }

    synchronized boolean isBackingOff(K key) {
        Failing entry = failing.get(key);
        return entry != null && entry.retryAtNanos() - System.nanoTime() > 0;
    }

    /** Failed and not succeeded since, but its backoff is over: the next send tries it again. */
    synchronized boolean isOnProbation(K key) {
        Failing entry = failing.get(key);
        return entry != null && entry.retryAtNanos() - System.nanoTime() <= 0;
    }

    /** Those still backing off; forgets those whose backoff ended long ago. */
    synchronized Set<K> heldBack() {
        long now = System.nanoTime();
        long forgetAfter = 2 * maxBackoff.toNanos();
        Set<K> held = failing.entrySet().stream()
                .filter(entry -> entry.getValue().retryAtNanos() - now > 0)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        // An aggregate whose rows another relay published is never sent by this one: its entry must not stay.
        for (Iterator<Failing> entries = failing.values().iterator(); entries.hasNext(); ) {
            if (now - entries.next().retryAtNanos() > forgetAfter) {
                entries.remove();
            }
        }
        return held;
    }

    synchronized boolean isKnown(K key) {
        return failing.containsKey(key);
    }
}
