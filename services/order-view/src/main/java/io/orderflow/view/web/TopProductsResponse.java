package io.orderflow.view.web;

import io.orderflow.view.query.ProductUnits;
import java.time.Instant;
import java.util.List;

/** The products with the most units ordered in the hour before {@code at}. */
record TopProductsResponse(Instant at, List<ProductUnits> products) {

    static TopProductsResponse of(Instant at, List<ProductUnits> products) {
        return new TopProductsResponse(at, List.copyOf(products));
    }
}
