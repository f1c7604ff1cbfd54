package io.orderflow.order.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The products that can be ordered and their prices, as inventory listed them. */
public interface Catalogue {

    /**
     * The unit price of each of these products in the currency: a product the catalogue does not have has no entry;
     * one not sold in the currency maps to empty.
     */
    Map<String, Optional<BigDecimal>> pricesIn(String currency, Collection<String> productIds);

    /**
     * Keeps the product's listing, name and whole price list, unless a listing at least as recent is kept already
     * (a redelivered or replayed event).
     */
    void listed(String productId, String name, Instant listedAt, Map<String, BigDecimal> prices);

    boolean isEmpty();
}
