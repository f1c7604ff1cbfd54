package io.orderflow.inventory.domain;

/** A product of an order that inventory cannot cover. */
public record ShortLine(String productId, int requested, int available) {}
