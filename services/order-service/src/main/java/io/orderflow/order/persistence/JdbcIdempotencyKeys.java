package io.orderflow.order.persistence;

import io.orderflow.order.application.IdempotencyKeys;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcIdempotencyKeys implements IdempotencyKeys {

    private final JdbcClient jdbc;

    JdbcIdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Claimed> claim(String customerId, String key, String fingerprint, UUID orderId) {
        // ON CONFLICT waits for a concurrent claim of the same key to commit or roll back, then decides.
        int inserted =
                jdbc.sql("""
                        INSERT INTO idempotency_keys (customer_id, idempotency_key, fingerprint, order_id)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (customer_id, idempotency_key) DO NOTHING""").params(customerId, key, fingerprint, orderId).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return find(customerId, key);
    }

    @Override
    public Optional<Claimed> find(String customerId, String key) {
        return jdbc.sql(
                        "SELECT fingerprint, order_id FROM idempotency_keys WHERE customer_id = ? AND idempotency_key = ?")
                .params(customerId, key)
                .query((row, n) -> new Claimed(row.getString(1), row.getObject(2, UUID.class)))
                .optional();
    }
}
