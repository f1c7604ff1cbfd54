package io.orderflow.inventory.application;

import io.orderflow.inventory.application.StockRepository.ProductStock;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalogue's listings and prices. Inventory owns them: a price changes here, and the new listing goes out in the
 * same transaction, so order-service never prices an order from a price that was not committed.
 */
@Service
public class CatalogueService {

    private final StockRepository stock;
    private final CatalogueEvents events;
    private final Clock clock;

    public CatalogueService(StockRepository stock, CatalogueEvents events, Clock clock) {
        this.stock = stock;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Replaces the product's price list (a currency left out is no longer sold) and lists it again.
     *
     * @return the product as it is now; empty when there is no such product
     */
    @Transactional
    public Optional<ProductStock> reprice(String productId, Map<String, BigDecimal> prices) {
        Optional<ProductStock> repriced = stock.replacePrices(productId, prices);
        repriced.ifPresent(product -> events.listed(product, stock.relist(productId, clock.instant())));
        return repriced;
    }

    /** Lists every product never listed (with its prices), once, whichever instance gets there first. */
    @Transactional
    public int announceUnlisted() {
        var unlisted = stock.lockUnlisted();
        unlisted.forEach(product -> events.listed(product, stock.relist(product.productId(), clock.instant())));
        return unlisted.size();
    }
}
