package io.orderflow.view.domain;

import java.math.BigDecimal;

/** One product of an order. */
public record Item(String productId, int quantity, BigDecimal unitPrice) {}
