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
    public Optional<Claimed> claim(String key, String fingerprint, UUID orderId) {
        // ON CONFLICT waits for a concurrent claim of the same key to commit or roll back, then decides.
        int inserted = jdbc.sql("""
                        INSERT INTO idempotency_keys (idempotency_key, fingerprint, order_id) VALUES (?, ?, ?)
                        ON CONFLICT (idempotency_key) DO NOTHING""").params(key, fingerprint, orderId).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return find(key);
    }

    @Override
    public Optional<Claimed> find(String key) {
        return jdbc.sql("SELECT fingerprint, order_id FROM idempotency_keys WHERE idempotency_key = ?")
                .param(key)
                .query((row, n) -> new Claimed(row.getString(1), row.getObject(2, UUID.class)))
                .optional();
    }
}
