package io.orderflow.payment.persistence;

import io.orderflow.payment.application.PaymentRepository;
import io.orderflow.payment.domain.Payment;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcPaymentRepository implements PaymentRepository {

    private final JdbcClient jdbc;

    JdbcPaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void lock(UUID orderId) {
        // A transaction-scoped advisory lock on the order: released by commit or rollback, never forgotten.
        jdbc.sql("SELECT pg_advisory_xact_lock(?)")
                .param(orderId.getMostSignificantBits() ^ orderId.getLeastSignificantBits())
                .query((row, n) -> 0)
                .single();
    }

    @Override
    public Optional<Payment> find(UUID orderId) {
        return jdbc.sql("""
                        SELECT order_id, customer_id, amount, currency, status, charge_id, decline_reason, void_reason,
                               decided_at
                        FROM payments WHERE order_id = ?""")
                .param(orderId)
                .query((row, n) -> new Payment(row.getObject(1, UUID.class), row.getString(2), row.getBigDecimal(3),
                        row.getString(4), Payment.Status.valueOf(row.getString(5)), row.getString(6),
                        row.getString(7), row.getString(8), row.getTimestamp(9).toInstant()))
                .optional();
    }

    @Override
    public void insert(Payment payment) {
        jdbc.sql("""
                        INSERT INTO payments (order_id, customer_id, amount, currency, status, charge_id, decline_reason,
                                              void_reason, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(payment.orderId(), payment.customerId(), payment.amount(), payment.currency(),
                        payment.status().name(), payment.chargeId(), payment.declineReason(), payment.voidReason(),
                        Timestamp.from(payment.decidedAt()))
                .update();
    }
}
