package io.orderflow.inventory.persistence;

import io.orderflow.inventory.application.OrderDecision;
import io.orderflow.inventory.application.StockRepository;
import io.orderflow.inventory.domain.HeldStock;
import io.orderflow.inventory.domain.RequestedLine;
import io.orderflow.inventory.domain.ReservationDecision;
import io.orderflow.inventory.domain.StockLevel;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    public void record(List<OrderDecision> decisions) {
        if (decisions.isEmpty()) {
            return;
        }
        int n = decisions.size();
        UUID[] orders = new UUID[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        List<UUID> lineOrders = new ArrayList<>();
        List<String> lineProducts = new ArrayList<>();
        List<Integer> lineQuantities = new ArrayList<>();
        Map<String, Integer> taken = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            OrderDecision decided = decisions.get(i);
            orders[i] = decided.orderId();
            if (decided.decision() instanceof ReservationDecision.Reserve reserve) {
                statuses[i] = "RESERVED";
                for (RequestedLine line : reserve.lines()) {
                    lineOrders.add(decided.orderId());
                    lineProducts.add(line.productId());
                    lineQuantities.add(line.quantity());
                    taken.merge(line.productId(), line.quantity(), Math::addExact);
                }
            } else {
                statuses[i] = "REJECTED";
                reasons[i] = ((ReservationDecision.Reject) decided.decision())
                        .reason()
                        .name();
            }
        }
        jdbc.sql("INSERT INTO reservations (order_id, status, reason) "
                        + "SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[])")
                .params(orders, statuses, reasons)
                .update();
        if (taken.isEmpty()) {
            return;
        }
        int updated = jdbc.sql("""
                        UPDATE stock SET available = available - taken.quantity, reserved = reserved + taken.quantity
                        FROM unnest(?::text[], ?::int[]) AS taken(product_id, quantity)
                        WHERE stock.product_id = taken.product_id AND stock.available >= taken.quantity""")
                .params(taken.keySet().toArray(String[]::new), taken.values().toArray(Integer[]::new))
                .update();
        if (updated != taken.size()) {
            throw new IllegalStateException("stock of " + taken.keySet() + " changed under its lock");
        }
        jdbc.sql("INSERT INTO reservation_lines (order_id, product_id, quantity) "
                        + "SELECT * FROM unnest(?::uuid[], ?::text[], ?::int[])")
                .params(
                        lineOrders.toArray(UUID[]::new),
                        lineProducts.toArray(String[]::new),
                        lineQuantities.toArray(Integer[]::new))
                .update();
    }

    @Override
    public Set<UUID> decidedAmong(Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT order_id FROM reservations WHERE order_id = ANY (?)")
                .param(orderIds.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    @Override
    public Optional<HeldStock> lockHeld(UUID orderId) {
        Optional<HeldStock> reservation = jdbc.sql("SELECT cancel_reason, payment_authorized FROM reservations "
                        + "WHERE order_id = ? AND status = 'RESERVED' FOR UPDATE")
                .param(orderId)
                .query((row, n) -> new HeldStock(List.of(), Optional.ofNullable(row.getString(1)), row.getBoolean(2)))
                .optional();
        return reservation.map(held -> new HeldStock(
                jdbc.sql("SELECT product_id, quantity FROM reservation_lines "
                                + "WHERE order_id = ? ORDER BY product_id")
                        .param(orderId)
                        .query((row, n) -> new RequestedLine(row.getString(1), row.getInt(2)))
                        .list(),
                held.cancelReason(),
                held.paymentAuthorized()));
    }

    @Override
    public void noteCancellation(UUID orderId, String releaseReason) {
        jdbc.sql("UPDATE reservations SET cancel_reason = ? WHERE order_id = ? AND cancel_reason IS NULL")
                .params(releaseReason, orderId)
                .update();
    }

    @Override
    public void notePaymentAuthorized(Collection<UUID> orderIds) {
        jdbc.sql(
                        "UPDATE reservations SET payment_authorized = true WHERE order_id = ANY (?) AND NOT payment_authorized")
                .param(orderIds.toArray(UUID[]::new))
                .update();
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
    public boolean rememberCancelledUndecided(UUID orderId, String reason) {
        return jdbc.sql("INSERT INTO reservations (order_id, status, reason) VALUES (?, 'CANCELLED', ?) "
                                + "ON CONFLICT (order_id) DO NOTHING")
                        .params(orderId, reason)
                        .update()
                == 1;
    }

    @Override
    public List<ProductStock> lockUnlisted() {
        List<String> unlisted = jdbc.sql("SELECT product_id FROM stock WHERE listed_at IS NULL "
                        + "ORDER BY product_id FOR UPDATE SKIP LOCKED")
                .query(String.class)
                .list();
        return unlisted.isEmpty() ? List.of() : products("WHERE product_id = ANY (?)", unlisted.toArray(String[]::new));
    }

    @Override
    public Instant relist(String productId, Instant notBefore) {
        // Milliseconds: what the listing's listedAt carries, so order-service compares what was stored here.
        return jdbc.sql("""
                        UPDATE stock SET listed_at = greatest(date_trunc('milliseconds', ?::timestamptz),
                                                              listed_at + interval '1 millisecond')
                        WHERE product_id = ? RETURNING listed_at""")
                .params(Timestamp.from(notBefore), productId)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }

    @Override
    public Optional<ProductStock> replacePrices(String productId, Map<String, BigDecimal> prices) {
        boolean exists = jdbc.sql("SELECT 1 FROM stock WHERE product_id = ? FOR UPDATE")
                .param(productId)
                .query(Integer.class)
                .optional()
                .isPresent();
        if (!exists) {
            return Optional.empty();
        }
        jdbc.sql("DELETE FROM prices WHERE product_id = ?").param(productId).update();
        if (!prices.isEmpty()) {
            jdbc.sql("INSERT INTO prices (product_id, currency, amount) "
                            + "SELECT ?, * FROM unnest(?::text[], ?::numeric[])")
                    .params(
                            productId,
                            prices.keySet().toArray(String[]::new),
                            prices.values().toArray(BigDecimal[]::new))
                    .update();
        }
        return products("WHERE product_id = ?", productId).stream().findFirst();
    }

    @Override
    public List<ProductStock> all() {
        return products("", (Object) null);
    }

    /** Products with their price lists, in product order; {@code where} filters the stock rows. */
    private List<ProductStock> products(String where, Object parameter) {
        String sql = """
                SELECT s.product_id, s.name, s.available, s.reserved, p.currency, p.amount
                FROM stock s LEFT JOIN prices p ON p.product_id = s.product_id
                %s
                ORDER BY s.product_id, p.currency""".formatted(where.replace("product_id", "s.product_id"));
        var statement = where.isEmpty() ? jdbc.sql(sql) : jdbc.sql(sql).param(parameter);
        List<PricedRow> rows = statement
                .query((row, n) -> new PricedRow(
                        new ProductStock(row.getString(1), row.getString(2), row.getInt(3), row.getInt(4), Map.of()),
                        row.getString(5),
                        row.getBigDecimal(6)))
                .list();
        Map<String, ProductStock> products = new LinkedHashMap<>();
        Map<String, Map<String, BigDecimal>> prices = new HashMap<>();
        for (PricedRow row : rows) {
            products.putIfAbsent(row.product().productId(), row.product());
            Map<String, BigDecimal> list = prices.computeIfAbsent(row.product().productId(), id -> new TreeMap<>());
            if (row.currency() != null) {
                list.put(row.currency(), row.amount());
            }
        }
        return products.values().stream()
                .map(p -> new ProductStock(
                        p.productId(), p.name(), p.available(), p.reserved(), prices.get(p.productId())))
                .toList();
    }

    /** One product with one of its prices (none: a product sold in no currency). */
    private record PricedRow(ProductStock product, String currency, BigDecimal amount) {}
}
