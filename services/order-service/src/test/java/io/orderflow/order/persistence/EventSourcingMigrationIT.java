package io.orderflow.order.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.TestStack;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderEvent;
import io.orderflow.order.domain.OrderLine;
import io.orderflow.order.domain.OrderStatus;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Orders stored before the order became event-sourced (V1–V2) are turned into their events by V3, so that an
 * upgraded order-service reads them as it reads new ones.
 */
class EventSourcingMigrationIT {

    private static final String SCHEMA = "orders_migration_test";

    @Test
    void ordersOfTheStateBasedTablesBecomeTheirEventsAndReadBackTheSame() throws Exception {
        TestStack.get();
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        migrate("2");
        UUID placed = UUID.randomUUID();
        UUID reserved = UUID.randomUUID();
        UUID rejected = UUID.randomUUID();
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("SET search_path TO " + SCHEMA);
            insertOrder(sql, placed, "PLACED", null);
            insertOrder(sql, reserved, "RESERVED", null);
            insertOrder(sql, rejected, "REJECTED", "INSUFFICIENT_STOCK: KB-001 (requested 3, available 1)");
        }

        migrate(null);

        Order wasPlaced = replay(placed);
        assertThat(wasPlaced.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(wasPlaced.lines())
                .containsExactly(
                        new OrderLine("KB-001", 3, new BigDecimal("19.99")),
                        new OrderLine("MS-002", 1, new BigDecimal("5.00")));
        assertThat(wasPlaced.totalAmount()).isEqualByComparingTo("64.97");
        assertThat(wasPlaced.placedAt()).isEqualTo(Instant.parse("2026-11-20T10:15:30.123456Z"));
        assertThat(replay(reserved).status()).isEqualTo(OrderStatus.RESERVED);
        Order wasRejected = replay(rejected);
        assertThat(wasRejected.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(wasRejected.statusReason()).hasValue("INSUFFICIENT_STOCK: KB-001 (requested 3, available 1)");
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            assertThat(count(
                            sql,
                            "SELECT count(*) FROM " + SCHEMA + ".payment_deadlines WHERE order_id IN ('" + placed
                                    + "', '" + reserved + "')"))
                    .as("the unpaid orders get a deadline")
                    .isEqualTo(2);
            assertThat(count(
                            sql,
                            "SELECT count(*) FROM " + SCHEMA + ".orders WHERE id = '" + rejected + "' AND version = 3"))
                    .isEqualTo(1);
            assertThat(count(
                            sql,
                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
                                    + "' AND table_name = 'order_lines'"))
                    .as("lines live in the events now")
                    .isZero();
        }
    }

    private static Order replay(UUID orderId) throws SQLException {
        List<OrderEvent> events = new ArrayList<>();
        try (Connection db = connect();
                var query = db.prepareStatement("SELECT event_type, payload FROM " + SCHEMA
                        + ".order_events WHERE order_id = ? ORDER BY version")) {
            query.setObject(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    events.add(OrderEventCodec.decode(row.getString(1), row.getString(2)));
                }
            }
        }
        return Order.replay(orderId, Optional.empty(), events);
    }

    private static void insertOrder(Statement sql, UUID id, String status, String reason) throws SQLException {
        sql.execute("INSERT INTO orders (id, customer_id, currency, total_amount, status, rejection_reason, placed_at, "
                + "updated_at) VALUES ('" + id + "', 'c-1', 'EUR', 64.97, '" + status + "', "
                + (reason == null ? "NULL" : "'" + reason + "'")
                + ", '2026-11-20T10:15:30.123456Z', '2026-11-20T10:15:31Z')");
        sql.execute("INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price) VALUES ('" + id
                + "', 0, 'KB-001', 3, 19.99), ('" + id + "', 1, 'MS-002', 1, 5.00)");
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void migrate(String target) {
        var configuration = Flyway.configure()
                .dataSource(
                        TestStack.get().jdbcUrl(),
                        TestStack.get().databaseUser(),
                        TestStack.get().databasePassword())
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/migration/orders");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                TestStack.get().jdbcUrl(),
                TestStack.get().databaseUser(),
                TestStack.get().databasePassword());
    }
}
