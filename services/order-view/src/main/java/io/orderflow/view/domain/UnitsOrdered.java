package io.orderflow.view.domain;

import java.time.Instant;

/** Units of a product a customer ordered at a moment. */
public record UnitsOrdered(String productId, int quantity, Instant at) {}
