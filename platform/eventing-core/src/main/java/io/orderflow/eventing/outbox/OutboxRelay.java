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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka and deletes them once the broker has acknowledged them.
 *
 * <p>Rows are claimed in id order with {@code FOR UPDATE SKIP LOCKED}, so several relays can share one outbox. A
 * row is published only when no older row of the same aggregate is left in the table, which keeps each
 * aggregate's events in order even while another relay holds some of them. Rows are deleted rather than tracked
 * with a high-water mark, so a lower id that commits late is still found and published. Within a batch, a row is
 * sent only once every earlier row of its aggregate is acknowledged ({@link InOrderSends}); a row the broker will
 * never take is parked in {@code outbox_parked}, and its aggregate's later rows wait behind it. Between batches the
 * relay sleeps until a writer of its own process raises the {@link OutboxSignal} after a commit, or its poll interval
 * passes (rows written by other processes, or whose signal came before a failed cycle).
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    // Claims a batch and, in the same round trip, says which claimed rows may go out: those with no older row of
    // their aggregate outside the batch (another relay holds it, or it is being deleted: it must go first). An
    // aggregate with a parked row is not claimed at all: its later rows wait behind the parked one; nor is one that
    // failed for now, or waits for a partition that did, until its backoff passes: the rows behind it are claimed
    // instead. NOT IN over a subquery, not <> ALL over the array: it is hashed, and an offline partition can hold
    // back thousands of aggregates.
    private static final String CLAIM = """
            WITH claimed AS (
                SELECT %s FROM outbox
                WHERE aggregate_id NOT IN (SELECT aggregate_id FROM outbox_parked)
                  AND aggregate_id NOT IN (SELECT unnest(?::text[]))
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
            SELECT claimed.*, NOT EXISTS (
                       SELECT 1 FROM outbox older
                       WHERE older.aggregate_id = claimed.aggregate_id AND older.id < claimed.id
                         AND older.id NOT IN (SELECT id FROM claimed)) AS publishable
            FROM claimed ORDER BY id""".formatted(OutboxRow.COLUMNS);
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";

    private final DataSource dataSource;
    private final OutboxSignal committed;
    private final Producer<String, byte[]> producer;
    private final InOrderSends sends;
    private final Backoffs<String> failingAggregates;
    private final FailingPartitions failingPartitions;
    private final OutboxRelaySettings settings;
    private final Timer publishLatency;
    private final Counter published;
    private final Counter failures;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile boolean running;
    private boolean closed;
    private Thread worker;
    private Instant backlogCheckedAt = Instant.EPOCH;

    public OutboxRelay(
            DataSource dataSource,
            Producer<String, byte[]> producer,
            OutboxRelaySettings settings,
            OutboxSignal committed,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.committed = committed;
        this.producer = producer;
        this.failingAggregates = new Backoffs<>(settings.pollInterval(), settings.maxBackoff());
        this.failingPartitions = new FailingPartitions(settings.pollInterval(), settings.maxBackoff());
        this.sends = new InOrderSends(producer, failingPartitions, settings.sendTimeout(), settings.pollInterval());
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
        Gauge.builder("orderflow.outbox.parked", parked, AtomicLong::get)
                .description("Rows that can never be sent, parked in outbox_parked; their aggregates wait behind them")
                .register(meters);
    }

    /**
     * Starts publishing on a thread of its own; a stopped relay starts again.
     *
     * @throws IllegalStateException when the relay was closed: its producer is closed with it
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("This outbox relay was closed, and its producer with it; a closed relay "
                    + "cannot start again (stop() pauses a relay that is to start again)");
        }
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
            worker.join(
                    settings.drainTimeout().toMillis() + settings.pollInterval().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainRemaining();
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops the relay for good and closes its producer. */
    @Override
    public synchronized void close() {
        stop();
        if (!closed) {
            closed = true;
            producer.close(Duration.ofSeconds(10));
        }
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
        RecordPartitions partitions = new RecordPartitions(producer);
        FailingPartitions.Plan plan = failingPartitions.plan(publishable, partitions);
        InOrderSends.Outcome outcome = sends.send(plan.toSend(), partitions, plan.probes());
        List<OutboxRow> acknowledged = outcome.acknowledged();
        delete(connection, acknowledged.stream().map(OutboxRow::id).toList());
        park(connection, outcome.neverSendable());
        acknowledged.forEach(row -> failingAggregates.succeeded(row.aggregateId()));
        outcome.failedForNow().keySet().forEach(failingAggregates::failed);
        outcome.failedPartitions().forEach(failingPartitions::failed);
        reportFailedForNow(outcome.failedForNow());
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
            Set<String> heldBack = new HashSet<>(failingAggregates.heldBack());
            heldBack.addAll(failingPartitions.heldBackAggregates());
            claim.setArray(1, connection.createArrayOf("text", heldBack.toArray()));
            claim.setInt(2, settings.batchSize());
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

    private void park(Connection connection, Map<OutboxRow, Throwable> neverSendable) throws SQLException {
        if (neverSendable.isEmpty()) {
            return;
        }
        for (Map.Entry<OutboxRow, Throwable> parking : neverSendable.entrySet()) {
            OutboxRow row = parking.getKey();
            ParkedRows.park(connection, row, parking.getValue().toString());
            log.error(
                    "Outbox row {} ({} {} of aggregate {} for {}) can never be sent; parked in outbox_parked, and "
                            + "the aggregate's later rows wait behind it until it is put back or deleted "
                            + "(docs/eventing.md): {}",
                    row.id(),
                    row.envelope().eventType(),
                    row.envelope().eventId(),
                    row.aggregateId(),
                    row.topic(),
                    parking.getValue().toString());
        }
        parked.set(ParkedRows.count(connection));
    }

    private void reportFailedForNow(Map<String, Throwable> failedAggregates) {
        if (failedAggregates.isEmpty()) {
            return;
        }
        failures.increment(failedAggregates.size());
        log.warn(
                "Publishing failed for {} aggregate(s); their rows stay in the outbox and are retried after a "
                        + "backoff, while other aggregates' rows go on: {}",
                failedAggregates.size(),
                failedAggregates.values().iterator().next().toString());
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
            // An interrupt cuts the current wait short; only stop() ends the loop. A flag left set would make every
            // later wait return at once, and the relay would cycle without pause.
            if (Thread.interrupted()) {
                log.debug("Outbox relay interrupted; it goes on until stopped");
            }
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
                        ? settings.maxBackoff()
                        : backoff.multipliedBy(2);
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
            parked.set(ParkedRows.count(connection));
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
            log.warn(
                    "Outbox not fully drained at shutdown; the rows stay and are published at the next start: {}",
                    e.toString());
        }
    }
}
