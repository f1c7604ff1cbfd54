package io.orderflow.order.persistence;

import io.orderflow.order.application.OrderRepository;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderLine;
import io.orderflow.order.domain.OrderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcOrderRepository implements OrderRepository {

    private final JdbcClient jdbc;

    JdbcOrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Order order) {
        jdbc.sql("""
                        INSERT INTO orders (id, customer_id, currency, total_amount, status, rejection_reason,
                                            placed_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.id(), order.customerId(), order.currency(), order.totalAmount(), order.status().name(),
                        order.rejectionReason().orElse(null), Timestamp.from(order.placedAt()),
                        Timestamp.from(order.updatedAt()))
                .update();
        int lineNo = 0;
        for (OrderLine line : order.lines()) {
            jdbc.sql("INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price) "
                            + "VALUES (?, ?, ?, ?, ?)")
                    .params(order.id(), lineNo++, line.productId(), line.quantity(), line.unitPrice())
                    .update();
        }
    }

    @Override
    public Optional<Order> find(UUID id) {
        return load(id, "");
    }

    @Override
    public Optional<Order> findForUpdate(UUID id) {
        return load(id, " FOR UPDATE");
    }

    @Override
    public void updateStatus(Order order) {
        jdbc.sql("UPDATE orders SET status = ?, rejection_reason = ?, updated_at = ? WHERE id = ?")
                .params(order.status().name(), order.rejectionReason().orElse(null),
                        Timestamp.from(order.updatedAt()), order.id())
                .update();
    }

    private Optional<Order> load(UUID id, String lock) {
        // The order row first: with FOR UPDATE it is locked before anything else of the order is read.
        Optional<OrderRow> row = jdbc.sql("SELECT * FROM orders WHERE id = ?" + lock)
                .param(id)
                .query((result, n) -> OrderRow.read(result))
                .optional();
        return row.map(order -> order.withLines(jdbc.sql("SELECT product_id, quantity, unit_price FROM order_lines "
                        + "WHERE order_id = ? ORDER BY line_no")
                .param(id)
                .query((result, n) -> new OrderLine(result.getString(1), result.getInt(2), result.getBigDecimal(3)))
                .list()));
    }

    private record OrderRow(UUID id, String customerId, String currency, Instant placedAt,
                            OrderStatus status, String rejectionReason, Instant updatedAt) {

        static OrderRow read(ResultSet row) throws SQLException {
            return new OrderRow(
                    row.getObject("id", UUID.class),
                    row.getString("customer_id"),
                    row.getString("currency"),
                    row.getTimestamp("placed_at").toInstant(),
                    OrderStatus.valueOf(row.getString("status")),
                    row.getString("rejection_reason"),
                    row.getTimestamp("updated_at").toInstant());
        }

        Order withLines(List<OrderLine> lines) {
            return Order.restore(id, customerId, currency, lines, placedAt, status, rejectionReason, updatedAt);
        }
    }
}
