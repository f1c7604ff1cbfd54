package io.orderflow.inventory.application;

import io.orderflow.inventory.application.StockRepository.ProductStock;
import java.time.Instant;

/** Tells the other services what the catalogue holds; runs in the caller's transaction (the outbox). */
public interface CatalogueEvents {

    /** The product's whole listing as it is now: its name and its price list. */
    void listed(ProductStock product, Instant at);
}
