package io.orderflow.payment.persistence;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import io.orderflow.payment.application.ChargeFound;
import io.orderflow.payment.application.PendingRefund;
import io.orderflow.payment.application.Refunds;
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
    public void request(UUID orderId, ChargeFound charge, String reason, Envelope cause, Instant now) {
        insert(orderId, charge, "PENDING", reason, cause, now);
    }

    @Override
    public void requestLostChargeCheck(UUID orderId, String reason, Envelope cause, Instant now) {
        insert(orderId, new ChargeFound(null, null, null), "CHECKING", reason, cause, now);
    }

    private void insert(UUID orderId, ChargeFound charge, String status, String reason, Envelope cause, Instant now) {
        jdbc.sql("""
                        INSERT INTO refunds (order_id, charge_id, amount, currency, reason, status, next_attempt_at,
                                             requested_at, cause_event_id, cause_event_type, cause_producer, cause_at,
                                             correlation_id, traceparent)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (order_id) DO NOTHING""")
                .params(
                        orderId,
                        charge.chargeId(),
                        charge.amount(),
                        charge.currency(),
                        reason,
                        status,
                        Timestamp.from(now),
                        Timestamp.from(now),
                        cause.eventId(),
                        cause.eventType(),
                        cause.producer(),
                        Timestamp.from(cause.occurredAt()),
                        cause.correlationId(),
                        cause.traceparent().toString())
                .update();
    }

    @Override
    public List<UUID> due(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT order_id FROM refunds
                        WHERE status IN ('PENDING', 'CHECKING') AND next_attempt_at <= ?
                        ORDER BY next_attempt_at LIMIT ?""")
                .params(Timestamp.from(now), limit)
                .query(UUID.class)
                .list();
    }

    @Override
    public Optional<PendingRefund> claim(UUID orderId, Instant now) {
        return jdbc.sql("""
                        SELECT order_id, charge_id, amount, currency, attempts, reason, cause_event_id,
                               cause_event_type, cause_producer, cause_at, correlation_id, traceparent
                        FROM refunds
                        WHERE order_id = ? AND status IN ('PENDING', 'CHECKING') AND next_attempt_at <= ?
                        FOR UPDATE SKIP LOCKED""")
                .params(orderId, Timestamp.from(now))
                .query((row, n) -> new PendingRefund(
                        row.getObject("order_id", UUID.class),
                        row.getString("charge_id"),
                        row.getBigDecimal("amount"),
                        row.getString("currency"),
                        row.getInt("attempts"),
                        row.getString("reason"),
                        new Envelope(
                                row.getObject("cause_event_id", UUID.class),
                                row.getString("cause_event_type"),
                                row.getString("correlation_id"),
                                Optional.empty(),
                                row.getTimestamp("cause_at").toInstant(),
                                row.getString("cause_producer"),
                                Traceparent.parse(row.getString("traceparent")))))
                .optional();
    }

    @Override
    public long failing() {
        return jdbc.sql("SELECT count(*) FROM refunds WHERE status IN ('PENDING', 'CHECKING') AND attempts > 0")
                .query(Long.class)
                .single();
    }

    @Override
    public void chargeFound(UUID orderId, ChargeFound charge) {
        jdbc.sql("UPDATE refunds SET status = 'PENDING', charge_id = ?, amount = ?, currency = ? WHERE order_id = ?")
                .params(charge.chargeId(), charge.amount(), charge.currency(), orderId)
                .update();
    }

    @Override
    public void nothingCharged(UUID orderId, Instant now) {
        jdbc.sql("UPDATE refunds SET status = 'NOTHING_CHARGED', completed_at = ? WHERE order_id = ?")
                .params(Timestamp.from(now), orderId)
                .update();
    }

    @Override
    public void refunded(UUID orderId, String refundId, int attempts, Instant now) {
        jdbc.sql("""
                        UPDATE refunds SET status = 'REFUNDED', refund_id = ?, attempts = ?, completed_at = ?,
                                           last_error = NULL
                        WHERE order_id = ?""").params(refundId, attempts, Timestamp.from(now), orderId).update();
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
                .query((row, n) -> new RefundState(
                        row.getString(1),
                        row.getInt(2),
                        row.getString(3),
                        row.getString(4),
                        row.getTimestamp(5).toInstant(),
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
