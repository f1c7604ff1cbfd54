package io.orderflow.inventory.domain;

/** How many units of a product can still be reserved. */
public record StockLevel(String productId, int available) {}
