package io.orderflow.order.persistence;

import io.orderflow.order.application.OrderRepository;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderLine;
import io.orderflow.order.domain.OrderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
        List<OrderLine> lines = jdbc.sql("SELECT product_id, quantity, unit_price FROM order_lines "
                        + "WHERE order_id = ? ORDER BY line_no")
                .param(id)
                .query((row, n) -> new OrderLine(row.getString(1), row.getInt(2), row.getBigDecimal(3)))
                .list();
        return jdbc.sql("SELECT * FROM orders WHERE id = ?" + lock)
                .param(id)
                .query((row, n) -> toOrder(row, lines))
                .optional();
    }

    private static Order toOrder(ResultSet row, List<OrderLine> lines) throws SQLException {
        return Order.restore(
                row.getObject("id", UUID.class),
                row.getString("customer_id"),
                row.getString("currency"),
                lines,
                row.getTimestamp("placed_at").toInstant(),
                OrderStatus.valueOf(row.getString("status")),
                row.getString("rejection_reason"),
                row.getTimestamp("updated_at").toInstant());
    }
}
