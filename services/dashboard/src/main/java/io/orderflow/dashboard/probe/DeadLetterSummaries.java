package io.orderflow.dashboard.probe;

import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterStatus;
import io.orderflow.eventing.dlq.DeadLetterSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dead letters for the page: counts by status and the newest ones. They are read on a thread of their own, one
 * read at a time, so that a broker that does not answer (a read waits up to 30 s for it) holds up this part of the page
 * only; meanwhile the last read is shown, marked as old once it is.
 */
final class DeadLetterSummaries implements AutoCloseable {

    private static final int SHOWN = 50;
    /** How long a refresh waits for a read before it shows the last one. */
    private static final Duration WAIT = Duration.ofSeconds(1);
    /** After this, the page says that the dead letters shown are old. */
    private static final Duration STALE_AFTER = Duration.ofSeconds(6);

    private final DeadLetterAdmin admin;
    private final Clock clock;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dashboard-dead-letters");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Snapshot.DeadLetters> read =
            CompletableFuture.completedFuture(new Snapshot.DeadLetters(0, 0, 0, List.of(), "not read yet"));
    private Snapshot.DeadLetters last = read.join();
    private Instant readSince = Instant.EPOCH;

    DeadLetterSummaries(DeadLetterAdmin admin, Clock clock) {
        this.admin = admin;
        this.clock = clock;
    }

    /** The result of a read started now, if it comes within a second; else the last one. */
    synchronized Snapshot.DeadLetters latest() {
        if (read.isDone()) {
            last = read.join();
            read = CompletableFuture.supplyAsync(this::readNow, reader);
            readSince = clock.instant();
        }
        try {
            last = read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return last;
        } catch (TimeoutException e) {
            long waited = Duration.between(readSince, clock.instant()).toSeconds();
            return waited < STALE_AFTER.toSeconds()
                    ? last
                    : new Snapshot.DeadLetters(
                            last.pending(),
                            last.replayed(),
                            last.quarantined(),
                            last.letters(),
                            "Kafka has not answered for " + waited + " s; the dead letters shown are older");
        } catch (ExecutionException e) {
            return last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
    }

    private Snapshot.DeadLetters readNow() {
        try {
            DeadLetterSummary summary = admin.summarize(SHOWN);
            List<Snapshot.Letter> shown = summary.newest().stream()
                    .map(letter -> new Snapshot.Letter(
                            letter.id().toString(),
                            letter.status().name(),
                            letter.consumer(),
                            letter.eventType(),
                            letter.key(),
                            letter.reason(),
                            letter.replayCount(),
                            letter.writtenAt()))
                    .toList();
            return new Snapshot.DeadLetters(
                    summary.count(DeadLetterStatus.PENDING),
                    summary.count(DeadLetterStatus.REPLAYED),
                    summary.count(DeadLetterStatus.QUARANTINED),
                    shown,
                    "");
        } catch (RuntimeException e) {
            return new Snapshot.DeadLetters(0, 0, 0, List.of(), "cannot read the dead letters: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
