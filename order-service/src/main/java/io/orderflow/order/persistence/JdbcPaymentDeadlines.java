package io.orderflow.order.persistence;

import io.orderflow.order.application.PaymentDeadlines;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcPaymentDeadlines implements PaymentDeadlines {

    private final JdbcClient jdbc;

    JdbcPaymentDeadlines(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void schedule(UUID orderId, Instant dueAt) {
        jdbc.sql("INSERT INTO payment_deadlines (order_id, due_at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING")
                .params(orderId, Timestamp.from(dueAt))
                .update();
    }

    @Override
    public void clearUnlessClaimed(UUID orderId) {
        jdbc.sql("""
                        DELETE FROM payment_deadlines WHERE order_id =
                            (SELECT order_id FROM payment_deadlines WHERE order_id = ? FOR UPDATE SKIP LOCKED)""")
                .param(orderId)
                .update();
    }

    @Override
    public List<UUID> claimDue(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT order_id FROM payment_deadlines WHERE due_at <= ?
                        ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(now), limit)
                .query(UUID.class)
                .list();
    }

    @Override
    public void remove(UUID orderId) {
        jdbc.sql("DELETE FROM payment_deadlines WHERE order_id = ?").param(orderId).update();
    }
}
