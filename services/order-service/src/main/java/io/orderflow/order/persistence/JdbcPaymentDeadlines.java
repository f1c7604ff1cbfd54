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
                            (SELECT order_id FROM payment_deadlines WHERE order_id = ? FOR UPDATE SKIP LOCKED)""").param(orderId).update();
    }

    @Override
    public List<UUID> due(Instant now, int limit) {
        return jdbc.sql("SELECT order_id FROM payment_deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query(UUID.class)
                .list();
    }

    @Override
    public boolean claim(UUID orderId, Instant now) {
        return jdbc.sql("SELECT 1 FROM payment_deadlines WHERE order_id = ? AND due_at <= ? FOR UPDATE SKIP LOCKED")
                .params(orderId, Timestamp.from(now))
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    @Override
    public void remove(UUID orderId) {
        jdbc.sql("DELETE FROM payment_deadlines WHERE order_id = ?")
                .param(orderId)
                .update();
    }

    @Override
    public void failed(UUID orderId, String error, Instant retryAt) {
        jdbc.sql("UPDATE payment_deadlines SET failed_attempts = failed_attempts + 1, last_error = ?, due_at = ? "
                        + "WHERE order_id = ?")
                .params(error, Timestamp.from(retryAt), orderId)
                .update();
    }

    @Override
    public int failedAttempts(UUID orderId) {
        return jdbc.sql("SELECT failed_attempts FROM payment_deadlines WHERE order_id = ?")
                .param(orderId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    @Override
    public long failing() {
        return jdbc.sql("SELECT count(*) FROM payment_deadlines WHERE failed_attempts > 0")
                .query(Long.class)
                .single();
    }
}
