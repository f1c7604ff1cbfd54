package io.orderflow.payment.persistence;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import io.orderflow.payment.application.PendingRefund;
import io.orderflow.payment.application.Refunds;
import io.orderflow.payment.domain.Payment;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcRefunds implements Refunds {

    private final JdbcClient jdbc;

    JdbcRefunds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void request(Payment payment, String reason, Envelope cause, Instant now) {
        jdbc.sql("""
                        INSERT INTO refunds (order_id, charge_id, amount, currency, reason, status, next_attempt_at,
                                             requested_at, cause_event_id, cause_event_type, cause_producer, cause_at,
                                             correlation_id, traceparent)
                        VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (order_id) DO NOTHING""")
                .params(payment.orderId(), payment.chargeId(), payment.amount(), payment.currency(), reason,
                        Timestamp.from(now), Timestamp.from(now), cause.eventId(), cause.eventType(), cause.producer(),
                        Timestamp.from(cause.occurredAt()), cause.correlationId(), cause.traceparent().toString())
                .update();
    }

    @Override
    public List<PendingRefund> claimDue(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT order_id, charge_id, amount, currency, attempts, cause_event_id, cause_event_type,
                               cause_producer, cause_at, correlation_id, traceparent
                        FROM refunds WHERE status = 'PENDING' AND next_attempt_at <= ?
                        ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(now), limit)
                .query((row, n) -> new PendingRefund(
                        row.getObject("order_id", UUID.class),
                        row.getString("charge_id"),
                        row.getBigDecimal("amount"),
                        row.getString("currency"),
                        row.getInt("attempts"),
                        new Envelope(row.getObject("cause_event_id", UUID.class), row.getString("cause_event_type"),
                                row.getString("correlation_id"), Optional.empty(),
                                row.getTimestamp("cause_at").toInstant(), row.getString("cause_producer"),
                                Traceparent.parse(row.getString("traceparent")))))
                .list();
    }

    @Override
    public void refunded(UUID orderId, String refundId, int attempts, Instant now) {
        jdbc.sql("""
                        UPDATE refunds SET status = 'REFUNDED', refund_id = ?, attempts = ?, completed_at = ?,
                                           last_error = NULL
                        WHERE order_id = ?""")
                .params(refundId, attempts, Timestamp.from(now), orderId)
                .update();
    }

    @Override
    public void failed(UUID orderId, String error, int attempts, Instant now) {
        jdbc.sql("UPDATE refunds SET status = 'FAILED', last_error = ?, attempts = ?, completed_at = ? "
                        + "WHERE order_id = ?")
                .params(error, attempts, Timestamp.from(now), orderId)
                .update();
    }

    @Override
    public Optional<RefundState> find(UUID orderId) {
        return jdbc.sql("SELECT status, attempts, refund_id, last_error, requested_at, completed_at FROM refunds "
                        + "WHERE order_id = ?")
                .param(orderId)
                .query((row, n) -> new RefundState(row.getString(1), row.getInt(2), row.getString(3),
                        row.getString(4), row.getTimestamp(5).toInstant(),
                        row.getTimestamp(6) == null ? null : row.getTimestamp(6).toInstant()))
                .optional();
    }

    @Override
    public void retryLater(UUID orderId, String error, int attempts, Instant nextAttemptAt) {
        jdbc.sql("UPDATE refunds SET last_error = ?, attempts = ?, next_attempt_at = ? WHERE order_id = ?")
                .params(error, attempts, Timestamp.from(nextAttemptAt), orderId)
                .update();
    }
}
