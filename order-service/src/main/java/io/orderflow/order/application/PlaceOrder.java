package io.orderflow.order.application;

import io.orderflow.order.domain.OrderLine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The command to place an order, already validated at the edge. */
public record PlaceOrder(String customerId, String currency, List<OrderLine> lines) {

    public PlaceOrder {
        lines = List.copyOf(lines);
    }

    /** A fingerprint of the request, so that a reused idempotency key with another request is caught. */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder().append(customerId).append('|').append(currency);
        for (OrderLine line : lines) {
            canonical.append('|').append(line.productId()).append('*').append(line.quantity()).append('@')
                    .append(line.unitPrice().stripTrailingZeros().toPlainString());
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
