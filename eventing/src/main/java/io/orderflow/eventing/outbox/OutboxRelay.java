package io.orderflow.eventing.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka and deletes them once the broker has acknowledged them.
 *
 * <p>Rows are claimed in id order with {@code FOR UPDATE SKIP LOCKED}, so several relays can share one outbox. A
 * row is published only when no older row of the same aggregate is left in the table, which keeps each
 * aggregate's events in order even while another relay holds some of them. Rows are deleted rather than tracked
 * with a high-water mark, so a lower id that commits late is still found and published. Between batches the relay
 * sleeps until a writer of its own process raises the {@link OutboxSignal} after a commit, or its poll interval
 * passes (rows written by other processes, or whose signal came before a failed cycle).
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    // Claims a batch and, in the same round trip, says which claimed rows may go out: those with no older row of
    // their aggregate outside the batch (another relay holds it, or it is being deleted: it must go first).
    private static final String CLAIM = """
            WITH claimed AS (
                SELECT %s FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
            SELECT claimed.*, NOT EXISTS (
                       SELECT 1 FROM outbox older
                       WHERE older.aggregate_id = claimed.aggregate_id AND older.id < claimed.id
                         AND older.id NOT IN (SELECT id FROM claimed)) AS publishable
            FROM claimed ORDER BY id""".formatted(OutboxRow.COLUMNS);
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";

    private final DataSource dataSource;
    private final OutboxSignal committed;
    private final Producer<String, byte[]> producer;
    private final OutboxRelaySettings settings;
    private final Timer publishLatency;
    private final Counter published;
    private final Counter failures;
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean running;
    private Thread worker;
    private Instant backlogCheckedAt = Instant.EPOCH;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, OutboxRelaySettings settings,
                       OutboxSignal committed, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.committed = committed;
        this.producer = producer;
        this.settings = settings;
        this.publishLatency = Timer.builder("orderflow.outbox.publish.latency")
                .description("From the outbox row's insert to the broker's acknowledgement")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.published = Counter.builder("orderflow.outbox.published").register(meters);
        this.failures = Counter.builder("orderflow.outbox.publish.failures").register(meters);
        Gauge.builder("orderflow.outbox.backlog", backlog, AtomicLong::get)
                .description("Rows waiting in the outbox, sampled by the relay")
                .register(meters);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.start();
    }

    /** Stops the loop and publishes what is left, within the drain timeout; {@link #close()} closes the producer. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        committed.raise();
        LockSupport.unpark(worker);
        try {
            worker.join(settings.drainTimeout().toMillis() + settings.pollInterval().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainRemaining();
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        stop();
        producer.close(Duration.ofSeconds(10));
    }

    public long backlog() {
        return backlog.get();
    }

    /**
     * Claims one batch, publishes it and deletes what the broker acknowledged, in one database transaction.
     *
     * @return the number of rows published
     */
    public int publishBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int count = publishBatch(connection);
                connection.commit();
                return count;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection connection) throws SQLException {
        List<OutboxRow> publishable = claimPublishable(connection);
        if (publishable.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(publishable.size());
        for (OutboxRow row : publishable) {
            acks.add(producer.send(row.toProducerRecord()));
        }
        producer.flush();
        List<OutboxRow> acknowledged = acknowledged(publishable, acks);
        delete(connection, acknowledged.stream().map(OutboxRow::id).toList());
        // Only what went out counts; a row that failed is timed when a later cycle publishes it.
        Instant now = Instant.now();
        for (OutboxRow row : acknowledged) {
            publishLatency.record(Duration.between(row.createdAt(), now));
        }
        published.increment(acknowledged.size());
        return acknowledged.size();
    }

    /** Claims a batch; returns its rows that may be published now, in id order. */
    private List<OutboxRow> claimPublishable(Connection connection) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setInt(1, settings.batchSize());
            try (ResultSet result = claim.executeQuery()) {
                while (result.next()) {
                    if (result.getBoolean("publishable")) {
                        rows.add(OutboxRow.read(result));
                    }
                }
            }
        }
        return rows;
    }

    /** The rows to delete: per aggregate, those acknowledged before the aggregate's first failed send. */
    private List<OutboxRow> acknowledged(List<OutboxRow> rows, List<Future<RecordMetadata>> acks) {
        List<OutboxRow> acknowledged = new ArrayList<>(rows.size());
        Map<String, Exception> failedAggregates = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            if (failedAggregates.containsKey(row.aggregateId())) {
                continue;
            }
            try {
                acks.get(i).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                acknowledged.add(row);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                failedAggregates.put(row.aggregateId(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failedAggregates.put(row.aggregateId(), e);
            }
        }
        if (!failedAggregates.isEmpty()) {
            failures.increment(failedAggregates.size());
            Exception first = failedAggregates.values().iterator().next();
            log.warn("Publishing failed for {} aggregate(s); their rows stay in the outbox and are retried: {}",
                    failedAggregates.size(), first.toString());
        }
        return acknowledged;
    }

    private static void delete(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            delete.executeUpdate();
        }
    }

    private void run() {
        Duration backoff = settings.pollInterval();
        long cycleStarted = System.nanoTime() - settings.linger().toNanos();
        while (running) {
            try {
                cycleStarted = lingerAfter(cycleStarted);
                int count = publishBatch();
                backoff = settings.pollInterval();
                sampleBacklog();
                if (count < settings.batchSize() && running) {
                    committed.await(settings.pollInterval());
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("Outbox relay cycle failed; retrying in {} ms: {}", backoff.toMillis(), e.toString());
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Waits out the rest of the linger after the previous cycle's start: under load, commits that arrive together
     * then leave in one batch, one produce request and one delete instead of one each.
     *
     * @return when this cycle starts
     */
    private long lingerAfter(long previousCycleStarted) {
        long lingerUntil = previousCycleStarted + settings.linger().toNanos();
        long now = System.nanoTime();
        while (running && now - lingerUntil < 0) {
            LockSupport.parkNanos(this, lingerUntil - now);
            now = System.nanoTime();
        }
        return now;
    }

    /** Counts the waiting rows at most once a second; a cycle that published nothing may still leave rows behind. */
    private void sampleBacklog() {
        Instant now = Instant.now();
        if (Duration.between(backlogCheckedAt, now).compareTo(Duration.ofSeconds(1)) < 0) {
            return;
        }
        backlogCheckedAt = now;
        try (Connection connection = dataSource.getConnection();
             Statement count = connection.createStatement();
             ResultSet result = count.executeQuery("SELECT count(*) FROM outbox")) {
            result.next();
            backlog.set(result.getLong(1));
        } catch (SQLException e) {
            log.debug("Cannot sample the outbox backlog: {}", e.toString());
        }
    }

    private void drainRemaining() {
        Instant deadline = Instant.now().plus(settings.drainTimeout());
        try {
            while (Instant.now().isBefore(deadline) && publishBatch() > 0) {
                log.debug("Drained outbox batch during shutdown");
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Outbox not fully drained at shutdown; the rows stay and are published at the next start: {}",
                    e.toString());
        }
    }
}
