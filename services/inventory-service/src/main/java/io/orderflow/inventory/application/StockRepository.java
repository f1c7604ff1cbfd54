package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.HeldStock;
import io.orderflow.inventory.domain.RequestedLine;
import io.orderflow.inventory.domain.StockLevel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Stock and reservations; every method runs in the caller's transaction. */
public interface StockRepository {

    /** Locks the stock rows of these products, in product order so that concurrent orders cannot deadlock. */
    Map<String, StockLevel> lockStock(Collection<String> productIds);

    /**
     * Stores decisions: reservations and rejections, the reserved lines, and the stock they take; the stock rows
     * must be locked by the caller.
     */
    void record(List<OrderDecision> decisions);

    /** The orders among these that have a decision already. */
    Set<UUID> decidedAmong(Collection<UUID> orderIds);

    /** What an order holds, its reservation row locked; empty unless the order's stock is reserved now. */
    Optional<HeldStock> lockHeld(UUID orderId);

    /** Notes the cancellation of an order whose stock is reserved; the first reason noted stays. */
    void noteCancellation(UUID orderId, String releaseReason);

    /** Notes that these orders were paid: a shipment may be booked for them. */
    void notePaymentAuthorized(Collection<UUID> orderIds);

    /** The products these orders hold or held. */
    Set<String> productsOf(Collection<UUID> orderIds);

    /** Gives an order's held stock back and marks its reservation released. */
    void release(UUID orderId, List<RequestedLine> lines, String reason);

    /**
     * Records that an order without a decision is cancelled, so that it is never reserved.
     *
     * @return false when the order has a decision already
     */
    boolean rememberCancelledUndecided(UUID orderId, String reason);

    List<ProductStock> all();

    /** Products not announced yet, locked so that two instances do not announce them both. */
    List<ProductStock> lockUnlisted();

    /**
     * Marks the product listed anew and says as of when: {@code notBefore} (this instance's clock) or, when that is
     * not later than its last listing (two instances' clocks, the same millisecond), one millisecond after it. The
     * stock row is locked, so listings of a product are strictly later one after another, as order-service needs
     * to keep the newest.
     */
    Instant relist(String productId, Instant notBefore);

    /** Replaces a product's price list; empty when there is no such product. */
    Optional<ProductStock> replacePrices(String productId, Map<String, BigDecimal> prices);

    /**
     * A product's stock and price list as {@code GET /stock} shows it.
     *
     * @param prices the unit price per ISO 4217 currency it is sold in, by currency code
     */
    record ProductStock(String productId, String name, int available, int reserved, Map<String, BigDecimal> prices) {

        public ProductStock {
            // Sorted by currency, so that the listing and GET /stock always show it the same way.
            prices = Collections.unmodifiableMap(new TreeMap<>(prices));
        }
    }
}
