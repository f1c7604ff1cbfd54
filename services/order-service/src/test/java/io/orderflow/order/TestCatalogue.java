package io.orderflow.order;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts a product in order-service's copy of the catalogue, as inventory's ProductListed events would. */
final class TestCatalogue {

    private TestCatalogue() {}

    static void list(JdbcClient jdbc, String productId, String currency, String unitPrice) {
        jdbc.sql("INSERT INTO catalogue (product_id, name, listed_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING")
                .params(productId, "Product " + productId)
                .update();
        jdbc.sql("INSERT INTO catalogue_prices (product_id, currency, amount) VALUES (?, ?, ?::numeric) "
                        + "ON CONFLICT (product_id, currency) DO UPDATE SET amount = EXCLUDED.amount")
                .params(productId, currency, unitPrice)
                .update();
    }
}
