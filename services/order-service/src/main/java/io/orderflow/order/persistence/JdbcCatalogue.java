package io.orderflow.order.persistence;

import io.orderflow.order.application.Catalogue;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcCatalogue implements Catalogue {

    private final JdbcClient jdbc;

    JdbcCatalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Optional<BigDecimal>> pricesIn(String currency, Collection<String> productIds) {
        Map<String, Optional<BigDecimal>> prices = new HashMap<>();
        jdbc.sql("""
                        SELECT c.product_id, p.amount FROM catalogue c
                        LEFT JOIN catalogue_prices p ON p.product_id = c.product_id AND p.currency = ?
                        WHERE c.product_id = ANY (?)""").params(currency, productIds.toArray(String[]::new)).query(row -> {
            prices.put(row.getString(1), Optional.ofNullable(row.getBigDecimal(2)));
        });
        return prices;
    }

    @Override
    public void listed(String productId, String name, Instant listedAt, Map<String, BigDecimal> prices) {
        boolean newer = !jdbc.sql("""
                        INSERT INTO catalogue (product_id, name, listed_at) VALUES (?, ?, ?)
                        ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, listed_at = EXCLUDED.listed_at
                        WHERE catalogue.listed_at < EXCLUDED.listed_at
                        RETURNING product_id""")
                .params(productId, name, Timestamp.from(listedAt))
                .query(String.class)
                .list()
                .isEmpty();
        if (!newer) {
            return;
        }
        jdbc.sql("DELETE FROM catalogue_prices WHERE product_id = ?")
                .param(productId)
                .update();
        if (!prices.isEmpty()) {
            jdbc.sql("INSERT INTO catalogue_prices (product_id, currency, amount) "
                            + "SELECT ?, * FROM unnest(?::text[], ?::numeric[])")
                    .params(
                            productId,
                            prices.keySet().toArray(String[]::new),
                            prices.values().toArray(BigDecimal[]::new))
                    .update();
        }
    }

    @Override
    public boolean isEmpty() {
        return jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM catalogue)")
                .query(Boolean.class)
                .single();
    }
}
