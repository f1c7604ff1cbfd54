package io.orderflow.payment.persistence;

import io.orderflow.payment.application.PaymentRepository;
import io.orderflow.payment.domain.Payment;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        lockAll(List.of(orderId));
    }

    @Override
    public void lockAll(Collection<UUID> orderIds) {
        // Transaction-scoped advisory locks on the orders: released by commit or rollback, never forgotten.
        Long[] keys = orderIds.stream()
                .map(JdbcPaymentRepository::lockKey)
                .distinct()
                .sorted()
                .toArray(Long[]::new);
        jdbc.sql("SELECT pg_advisory_xact_lock(key)::text FROM (SELECT unnest(?::bigint[]) AS key ORDER BY 1) sorted")
                .param(keys)
                .query(String.class)
                .list();
    }

    @Override
    public Set<UUID> decidedAmong(Collection<UUID> orderIds) {
        return new HashSet<>(jdbc.sql("SELECT order_id FROM payments WHERE order_id = ANY (?::uuid[])")
                .param(orderIds.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    @Override
    public void insertAll(List<Payment> payments) {
        if (payments.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO payments (order_id, customer_id, amount, currency, status, "
                + "charge_id, decline_reason, void_reason, decided_at) VALUES ");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < payments.size(); i++) {
            Payment payment = payments.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
            params.addAll(Arrays.asList(
                    payment.orderId(),
                    payment.customerId(),
                    payment.amount(),
                    payment.currency(),
                    payment.status().name(),
                    payment.chargeId(),
                    payment.declineReason(),
                    payment.voidReason(),
                    Timestamp.from(payment.decidedAt())));
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    private static long lockKey(UUID orderId) {
        return orderId.getMostSignificantBits() ^ orderId.getLeastSignificantBits();
    }

    @Override
    public Optional<Payment> find(UUID orderId) {
        return jdbc.sql("""
                        SELECT order_id, customer_id, amount, currency, status, charge_id, decline_reason, void_reason,
                               decided_at
                        FROM payments WHERE order_id = ?""")
                .param(orderId)
                .query((row, n) -> new Payment(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        row.getBigDecimal(3),
                        row.getString(4),
                        Payment.Status.valueOf(row.getString(5)),
                        row.getString(6),
                        row.getString(7),
                        row.getString(8),
                        row.getTimestamp(9).toInstant()))
                .optional();
    }

    @Override
    public void insert(Payment payment) {
        insertAll(List.of(payment));
    }
}
