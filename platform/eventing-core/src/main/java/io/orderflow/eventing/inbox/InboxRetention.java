package io.orderflow.eventing.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderflow.eventing.support.Periodic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes inbox rows older than the retention, a small batch per transaction, so that the purge never holds many
 * locks or writes a burst of WAL beside the consumers. The retention must cover every way an event can come back:
 * a redelivery after a crash comes within seconds, but a dead letter can be replayed up to the dead-letter topics'
 * retention later, when its event may have been handled after all (a crash between writing the dead letter and
 * committing the offset delivers the record again). An inbox that forgot the event by then would apply it twice;
 * so the auto-configuration refuses a retention shorter than the dead letters'.
 */
public final class InboxRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);
    private static final String DELETE_BATCH = """
            DELETE FROM processed_events WHERE (consumer, event_id) IN (
                SELECT consumer, event_id FROM processed_events WHERE processed_at < ?
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private final DataSource dataSource;
    private final Duration retention;
    private final int batchSize;
    private final Clock clock;
    private final Counter purged;
    private final Timer runs;
    private final Periodic schedule = new Periodic("inbox-retention");

    public InboxRetention(DataSource dataSource, Duration retention, int batchSize, Clock clock, MeterRegistry meters) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the purge batch size must be positive, not " + batchSize);
        }
        this.dataSource = dataSource;
        this.retention = retention;
        this.batchSize = batchSize;
        this.clock = clock;
        this.purged = Counter.builder("orderflow.inbox.purged")
                .description("inbox rows deleted because they were older than the retention")
                .register(meters);
        this.runs = Timer.builder("orderflow.inbox.purge.duration")
                .description("time one purge of the inbox took, all its batches together")
                .register(meters);
    }

    /** Purges at {@code interval}, the first time one interval after the start. */
    public void start(Duration interval) {
        schedule.start(this::purge, interval, interval);
    }

    /** Deletes every row older than the retention, batch by batch; returns how many went. */
    public long purge() {
        Instant before = clock.instant().minus(retention);
        long total = 0;
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(DELETE_BATCH)) {
            connection.setAutoCommit(true);
            delete.setTimestamp(1, Timestamp.from(before));
            delete.setInt(2, batchSize);
            int deleted;
            do {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                deleted = delete.executeUpdate();
                total += deleted;
                purged.increment(deleted);
            } while (deleted == batchSize);
        } catch (SQLException e) {
            throw new IllegalStateException("purging the inbox failed after " + total + " rows: " + e.getMessage(), e);
        } finally {
            runs.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (total > 0) {
            log.info("Purged {} inbox rows processed before {}", total, before);
        }
        return total;
    }

    @Override
    public void close() {
        schedule.close();
    }
}
