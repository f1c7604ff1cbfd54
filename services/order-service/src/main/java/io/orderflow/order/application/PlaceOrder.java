package io.orderflow.order.application;

import io.orderflow.order.domain.Pricing.RequestedItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The command to place an order, already validated at the edge; the catalogue prices it. */
public record PlaceOrder(String customerId, String currency, List<RequestedItem> items) {

    public PlaceOrder {
        items = List.copyOf(items);
    }

    /** A fingerprint of the request, so that a reused idempotency key with another request is caught. */
    public String fingerprint() {
        StringBuilder canonical =
                new StringBuilder().append(customerId).append('|').append(currency);
        for (RequestedItem item : items) {
            canonical
                    .append('|')
                    .append(item.productId())
                    .append('*')
                    .append(item.quantity())
                    .append('@')
                    .append(item.quotedUnitPrice()
                            .map(price -> price.stripTrailingZeros().toPlainString())
                            .orElse("catalogue"));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
