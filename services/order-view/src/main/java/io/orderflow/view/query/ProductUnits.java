package io.orderflow.view.query;

/** Units of one product ordered in the last hour. */
public record ProductUnits(String productId, long units) {}
