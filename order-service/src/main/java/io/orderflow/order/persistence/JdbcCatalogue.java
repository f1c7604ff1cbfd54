package io.orderflow.order.persistence;

import io.orderflow.order.application.Catalogue;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcCatalogue implements Catalogue {

    private final JdbcClient jdbc;

    JdbcCatalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> unknownAmong(Collection<String> productIds) {
        Set<String> known = new HashSet<>(jdbc.sql("SELECT product_id FROM catalogue WHERE product_id = ANY (?)")
                .param(productIds.toArray(String[]::new))
                .query(String.class)
                .list());
        return productIds.stream().distinct().filter(id -> !known.contains(id)).toList();
    }

    @Override
    public void listed(String productId, String name, Instant listedAt) {
        jdbc.sql("""
                        INSERT INTO catalogue (product_id, name, listed_at) VALUES (?, ?, ?)
                        ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, listed_at = EXCLUDED.listed_at
                        WHERE catalogue.listed_at < EXCLUDED.listed_at""")
                .params(productId, name, Timestamp.from(listedAt))
                .update();
    }

    @Override
    public boolean isEmpty() {
        return jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM catalogue)").query(Boolean.class).single();
    }
}
