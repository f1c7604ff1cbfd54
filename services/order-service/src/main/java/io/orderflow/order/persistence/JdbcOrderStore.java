package io.orderflow.order.persistence;

import io.orderflow.order.application.ConcurrentOrderUpdateException;
import io.orderflow.order.application.OrderSagaProperties;
import io.orderflow.order.application.OrderStore;
import io.orderflow.order.application.OrderSummary;
import io.orderflow.order.application.RecordedEvent;
import io.orderflow.order.application.SagaCensus;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderEvent;
import io.orderflow.order.domain.OrderState;
import io.orderflow.order.domain.OrderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders in PostgreSQL: {@code order_events} is the truth, one row per event with a version unique per order, so that
 * of two writers who loaded the same version only the first can append. {@code orders} is a summary kept in the same
 * transaction, for lists by status; {@code order_snapshots} saves replaying long histories.
 */
@Repository
class JdbcOrderStore implements OrderStore {

    /** Snapshots of another shape than today's {@link OrderState} are ignored and the order replayed from events. */
    static final int SNAPSHOT_FORMAT = 1;

    private final JdbcClient jdbc;
    private final int snapshotEvery;

    JdbcOrderStore(JdbcClient jdbc, OrderSagaProperties saga) {
        this.jdbc = jdbc;
        this.snapshotEvery = saga.snapshotEvery();
    }

    @Override
    public Optional<Order> load(UUID id) {
        // One round trip: the snapshot (if its format is today's) and the events after it.
        List<Object[]> rows = jdbc.sql("""
                        WITH snapshot AS (
                            SELECT version, state FROM order_snapshots WHERE order_id = :id AND format = :format)
                        SELECT 'snapshot' AS kind, version, NULL AS event_type, state AS payload FROM snapshot
                        UNION ALL
                        SELECT 'event', version, event_type, payload FROM order_events
                        WHERE order_id = :id AND version > COALESCE((SELECT version FROM snapshot), 0)
                        ORDER BY kind DESC, version""")
                .param("id", id)
                .param("format", SNAPSHOT_FORMAT)
                .query((row, n) ->
                        new Object[] {row.getString("kind"), row.getString("event_type"), row.getString("payload")})
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Optional<OrderState> snapshot = Optional.empty();
        List<OrderEvent> events = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            if (row[0].equals("snapshot")) {
                snapshot = Optional.of(OrderEventCodec.decodeState((String) row[2]));
            } else {
                events.add(OrderEventCodec.decode((String) row[1], (String) row[2]));
            }
        }
        return Optional.of(Order.replay(id, snapshot, events));
    }

    @Override
    public List<RecordedEvent> history(UUID id) {
        return jdbc.sql("SELECT version, event_type, payload FROM order_events WHERE order_id = ? ORDER BY version")
                .param(id)
                .query((row, n) -> read(row))
                .list();
    }

    @Override
    public void append(Order order) {
        List<OrderEvent> raised = order.raised();
        if (raised.isEmpty()) {
            return;
        }
        int expected = order.loadedVersion();
        StringBuilder sql = new StringBuilder(
                "INSERT INTO order_events (order_id, version, event_type, payload, occurred_at) VALUES ");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < raised.size(); i++) {
            OrderEvent event = raised.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?::jsonb, ?)");
            params.add(order.id());
            params.add(expected + i + 1);
            params.add(OrderEventCodec.typeOf(event));
            params.add(OrderEventCodec.encode(event));
            params.add(Timestamp.from(event.at()));
        }
        sql.append(" ON CONFLICT (order_id, version) DO NOTHING RETURNING version");
        // DO NOTHING rather than an error: the transaction (a consumer's whole batch) stays usable, no savepoint
        // needed.
        List<Integer> inserted =
                jdbc.sql(sql.toString()).params(params).query(Integer.class).list();
        if (inserted.size() != raised.size()) {
            if (!inserted.isEmpty()) {
                jdbc.sql("DELETE FROM order_events WHERE order_id = :id AND version IN (:versions)")
                        .param("id", order.id())
                        .param("versions", inserted)
                        .update();
            }
            throw new ConcurrentOrderUpdateException(order.id(), expected);
        }
        summarize(order);
        if (order.version() / snapshotEvery > expected / snapshotEvery) {
            jdbc.sql("""
                            INSERT INTO order_snapshots (order_id, version, format, state) VALUES (?, ?, ?, ?::jsonb)
                            ON CONFLICT (order_id) DO UPDATE
                                SET version = excluded.version, format = excluded.format, state = excluded.state""")
                    .params(order.id(), order.version(), SNAPSHOT_FORMAT, OrderEventCodec.encode(order.snapshot()))
                    .update();
        }
    }

    private void summarize(Order order) {
        jdbc.sql("""
                        INSERT INTO orders (id, customer_id, currency, total_amount, status, status_reason, version,
                                            placed_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET status = excluded.status,
                            status_reason = excluded.status_reason, version = excluded.version,
                            updated_at = excluded.updated_at""")
                .params(
                        order.id(),
                        order.customerId(),
                        order.currency(),
                        order.totalAmount(),
                        order.status().name(),
                        order.statusReason().orElse(null),
                        order.version(),
                        Timestamp.from(order.placedAt()),
                        Timestamp.from(order.updatedAt()))
                .update();
    }

    @Override
    public List<OrderSummary> list(Optional<OrderStatus> status, int limit) {
        String where = status.isPresent() ? "WHERE status = :status " : "";
        var statement = jdbc.sql("SELECT id, customer_id, status, status_reason, currency, total_amount, version, "
                        + "placed_at, updated_at FROM orders " + where + "ORDER BY updated_at DESC, id LIMIT :limit")
                .param("limit", limit);
        if (status.isPresent()) {
            statement = statement.param("status", status.get().name());
        }
        return statement
                .query((row, n) -> new OrderSummary(
                        row.getObject("id", UUID.class),
                        row.getString("customer_id"),
                        OrderStatus.valueOf(row.getString("status")),
                        row.getString("status_reason"),
                        row.getString("currency"),
                        row.getBigDecimal("total_amount"),
                        row.getInt("version"),
                        row.getTimestamp("placed_at").toInstant(),
                        row.getTimestamp("updated_at").toInstant()))
                .list();
    }

    @Override
    public SagaCensus census() {
        Map<OrderStatus, Long> byStatus = new EnumMap<>(OrderStatus.class);
        List<Instant> oldestOpen = new ArrayList<>();
        jdbc.sql("SELECT status, count(*) AS orders, min(updated_at) AS oldest FROM orders GROUP BY status")
                .query(row -> {
                    OrderStatus status = OrderStatus.valueOf(row.getString("status"));
                    byStatus.put(status, row.getLong("orders"));
                    if (!status.isFinal()) {
                        oldestOpen.add(row.getTimestamp("oldest").toInstant());
                    }
                });
        return new SagaCensus(byStatus, oldestOpen.stream().min(Instant::compareTo));
    }

    private static RecordedEvent read(ResultSet row) throws SQLException {
        return new RecordedEvent(
                row.getInt("version"), OrderEventCodec.decode(row.getString("event_type"), row.getString("payload")));
    }
}
