package io.orderflow.eventing.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.EventingDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboxRetentionIT {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(35);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HikariDataSource dataSource;

    @BeforeEach
    void freshInbox() {
        String schema = "inbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        dataSource = EventingDatabase.inFreshSchema(schema, 2);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void onlyRowsOlderThanTheRetentionGoInBatchesAndAreCounted() throws SQLException {
        List<UUID> old = processed("order-service", 23, NOW.minus(RETENTION).minusSeconds(1));
        List<UUID> anotherConsumersOld = processed("payment-service", 2, NOW.minus(Duration.ofDays(400)));
        List<UUID> young = processed("order-service", 5, NOW.minus(RETENTION).plusSeconds(1));
        List<UUID> today = processed("payment-service", 4, NOW.minusSeconds(3));

        // 25 rows in batches of 10: three transactions, the last one short.
        InboxRetention retention = new InboxRetention(dataSource, RETENTION, 10, CLOCK, meters);
        assertThat(retention.purge()).isEqualTo(25);

        assertThat(remaining())
                .containsExactlyInAnyOrderElementsOf(concat(young, today))
                .doesNotContainAnyElementsOf(concat(old, anotherConsumersOld));
        assertThat(meters.get("orderflow.inbox.purged").counter().count()).isEqualTo(25);
        assertThat(meters.get("orderflow.inbox.purge.duration").timer().count()).isEqualTo(1);

        assertThat(retention.purge()).isZero();
        assertThat(remaining()).hasSize(9);
    }

    @Test
    void aPurgedEventIsNewToTheInboxAgainWhichIsWhyTheRetentionMustOutliveEveryWayBack() throws Exception {
        UUID eventId =
                processed("order-service", 1, NOW.minus(Duration.ofDays(36))).get(0);
        new InboxRetention(dataSource, RETENTION, 10, CLOCK, meters).purge();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(new InboxStore().recordNew(connection, "order-service", eventId))
                    .isTrue();
        }
    }

    private List<UUID> processed(String consumer, int count, Instant at) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                insert.setString(1, consumer);
                insert.setObject(2, id);
                insert.setTimestamp(3, Timestamp.from(at));
                insert.executeUpdate();
                ids.add(id);
            }
        }
        return ids;
    }

    private List<UUID> remaining() throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT event_id FROM processed_events")) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static List<UUID> concat(List<UUID> first, List<UUID> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
