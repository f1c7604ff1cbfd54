package io.orderflow.inventory.domain;

/** A product and quantity an order asks inventory to reserve. */
public record RequestedLine(String productId, int quantity) {
    public RequestedLine {
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
    }
}
