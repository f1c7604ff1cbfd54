package io.orderflow.inventory.persistence;

import io.orderflow.inventory.application.StockRepository;
import io.orderflow.inventory.domain.RequestedLine;
import io.orderflow.inventory.domain.StockLevel;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcStockRepository implements StockRepository {

    private final JdbcClient jdbc;

    JdbcStockRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, StockLevel> lockStock(Collection<String> productIds) {
        Map<String, StockLevel> levels = new LinkedHashMap<>();
        jdbc.sql("SELECT product_id, available FROM stock WHERE product_id = ANY (?) ORDER BY product_id FOR UPDATE")
                .param(productIds.toArray(String[]::new))
                .query((row, n) -> new StockLevel(row.getString(1), row.getInt(2)))
                .list()
                .forEach(level -> levels.put(level.productId(), level));
        return levels;
    }

    @Override
    public void reserve(UUID orderId, List<RequestedLine> lines) {
        jdbc.sql("INSERT INTO reservations (order_id, status) VALUES (?, 'RESERVED')").param(orderId).update();
        for (RequestedLine line : lines) {
            int updated = jdbc.sql("UPDATE stock SET available = available - ?, reserved = reserved + ? "
                            + "WHERE product_id = ? AND available >= ?")
                    .params(line.quantity(), line.quantity(), line.productId(), line.quantity())
                    .update();
            if (updated != 1) {
                throw new IllegalStateException("stock of " + line.productId() + " changed under its lock");
            }
            jdbc.sql("INSERT INTO reservation_lines (order_id, product_id, quantity) VALUES (?, ?, ?)")
                    .params(orderId, line.productId(), line.quantity())
                    .update();
        }
    }

    @Override
    public void recordRejection(UUID orderId, String reason) {
        jdbc.sql("INSERT INTO reservations (order_id, status, reason) VALUES (?, 'REJECTED', ?)")
                .params(orderId, reason)
                .update();
    }

    @Override
    public Optional<String> reservationStatus(UUID orderId) {
        return jdbc.sql("SELECT status FROM reservations WHERE order_id = ?").param(orderId)
                .query(String.class).optional();
    }

    @Override
    public Optional<List<RequestedLine>> lockHeldLines(UUID orderId) {
        Optional<String> status = jdbc.sql("SELECT status FROM reservations WHERE order_id = ? FOR UPDATE")
                .param(orderId).query(String.class).optional();
        if (status.isEmpty() || !status.get().equals("RESERVED")) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("SELECT product_id, quantity FROM reservation_lines WHERE order_id = ? "
                        + "ORDER BY product_id")
                .param(orderId)
                .query((row, n) -> new RequestedLine(row.getString(1), row.getInt(2)))
                .list());
    }

    @Override
    public Set<String> productsOf(Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT DISTINCT product_id FROM reservation_lines WHERE order_id = ANY (?)")
                .param(orderIds.toArray(UUID[]::new))
                .query(String.class)
                .list());
    }

    @Override
    public void release(UUID orderId, List<RequestedLine> lines, String reason) {
        lockStock(lines.stream().map(RequestedLine::productId).toList());
        for (RequestedLine line : lines) {
            jdbc.sql("UPDATE stock SET available = available + ?, reserved = reserved - ? WHERE product_id = ?")
                    .params(line.quantity(), line.quantity(), line.productId())
                    .update();
        }
        jdbc.sql("UPDATE reservations SET status = 'RELEASED', reason = ?, decided_at = now() WHERE order_id = ?")
                .params(reason, orderId)
                .update();
    }

    @Override
    public List<ProductStock> lockUnlisted() {
        return jdbc.sql("SELECT product_id, name, available, reserved FROM stock WHERE listed_at IS NULL "
                        + "ORDER BY product_id FOR UPDATE SKIP LOCKED")
                .query((row, n) -> new ProductStock(row.getString(1), row.getString(2), row.getInt(3),
                        row.getInt(4)))
                .list();
    }

    @Override
    public void markListed(Collection<String> productIds) {
        jdbc.sql("UPDATE stock SET listed_at = now() WHERE product_id = ANY (?)")
                .param(productIds.toArray(String[]::new))
                .update();
    }

    @Override
    public List<ProductStock> all() {
        return jdbc.sql("SELECT product_id, name, available, reserved FROM stock ORDER BY product_id")
                .query((row, n) -> new ProductStock(row.getString(1), row.getString(2), row.getInt(3),
                        row.getInt(4)))
                .list();
    }
}
