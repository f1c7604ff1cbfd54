package io.orderflow.inventory.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reservation rule: an order gets all of its items or none of them. */
public final class Reservations {

    private Reservations() {}

    /**
     * Decides on an order's lines given the current stock of the products it names.
     *
     * @param stock the stock of every product the order names that exists; a missing product is unknown
     */
    public static ReservationDecision decide(List<RequestedLine> lines, Map<String, StockLevel> stock) {
        Map<String, Integer> wanted = sumPerProduct(lines);
        List<ShortLine> unknown = new ArrayList<>();
        List<ShortLine> insufficient = new ArrayList<>();
        for (var entry : wanted.entrySet()) {
            StockLevel level = stock.get(entry.getKey());
            if (level == null) {
                unknown.add(new ShortLine(entry.getKey(), entry.getValue(), 0));
            } else if (level.available() < entry.getValue()) {
                insufficient.add(new ShortLine(entry.getKey(), entry.getValue(), level.available()));
            }
        }
        if (!unknown.isEmpty()) {
            return new ReservationDecision.Reject(ReservationDecision.Reason.UNKNOWN_PRODUCT, unknown);
        }
        if (!insufficient.isEmpty()) {
            return new ReservationDecision.Reject(ReservationDecision.Reason.INSUFFICIENT_STOCK, insufficient);
        }
        List<RequestedLine> reserved = new ArrayList<>();
        wanted.forEach((product, quantity) -> reserved.add(new RequestedLine(product, quantity)));
        return new ReservationDecision.Reserve(reserved);
    }

    private static Map<String, Integer> sumPerProduct(List<RequestedLine> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order without lines cannot be reserved");
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (RequestedLine line : lines) {
            wanted.merge(line.productId(), line.quantity(), Math::addExact);
        }
        return wanted;
    }
}
