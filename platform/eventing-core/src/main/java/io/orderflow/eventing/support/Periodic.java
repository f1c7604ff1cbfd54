package io.orderflow.eventing.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of housekeeping on a daemon thread of its own, at a fixed delay after each run. A run that throws is
 * logged and the schedule goes on: a failing database or broker must not end the housekeeping for good.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final ScheduledExecutorService scheduler;

    public Periodic(String name) {
        this.name = name;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start(Runnable work, Duration initialDelay, Duration delay) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        log.warn("{} failed; trying again in {}: {}", name, delay, e.toString());
                    }
                },
                initialDelay.toMillis(),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops the schedule, interrupting a run in progress, and waits a little for it to end. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
