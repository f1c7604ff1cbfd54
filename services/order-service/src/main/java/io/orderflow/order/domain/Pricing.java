package io.orderflow.order.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices an order from the catalogue: the customer pays the catalogue's price in the order's currency, never one the
 * client names. A price the client quotes is only checked: when it is not the current one, the client showed the
 * customer a stale price and nothing is placed.
 */
public final class Pricing {

    /** The largest total an order can have: OrderPlaced carries it as decimal(14, 2). */
    public static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999.99");

    private Pricing() {}

    /** One product of an order as the client asked for it, with the unit price it showed the customer, if any. */
    public record RequestedItem(String productId, int quantity, Optional<BigDecimal> quotedUnitPrice) {

        public RequestedItem {
            Objects.requireNonNull(productId, "productId");
            Objects.requireNonNull(quotedUnitPrice, "quotedUnitPrice");
        }
    }

    /** How pricing went: the priced lines, or why the order cannot be placed. */
    public sealed interface Outcome permits Priced, Refusal {}

    /** Every line at the catalogue's current price. */
    public record Priced(List<OrderLine> lines, BigDecimal total) implements Outcome {}

    /** Why nothing is placed. */
    public sealed interface Refusal extends Outcome permits UnknownProducts, NotSoldIn, PriceChanged, TotalTooLarge {}

    /** Products the catalogue does not have, in the order asked. */
    public record UnknownProducts(List<String> productIds) implements Refusal {}

    /** Products the catalogue has but does not sell in the order's currency. */
    public record NotSoldIn(String currency, List<String> productIds) implements Refusal {}

    /** Quoted unit prices that are not the current ones, each with the current price. */
    public record PriceChanged(String currency, List<CurrentPrice> prices) implements Refusal {}

    public record CurrentPrice(String productId, BigDecimal quoted, BigDecimal current) {}

    /** The order's total does not fit the largest amount an order can carry. */
    public record TotalTooLarge(BigDecimal total) implements Refusal {}

    /**
     * Prices the requested items.
     *
     * @param catalogue for each requested product the catalogue knows: its unit price in {@code currency}, or empty
     *                  when it is not sold in that currency; an unknown product has no entry
     */
    public static Outcome price(
            String currency, List<RequestedItem> items, Map<String, Optional<BigDecimal>> catalogue) {
        LinkedHashSet<String> unknown = new LinkedHashSet<>();
        LinkedHashSet<String> notSold = new LinkedHashSet<>();
        for (RequestedItem item : items) {
            Optional<BigDecimal> price = catalogue.get(item.productId());
            if (price == null) {
                unknown.add(item.productId());
            } else if (price.isEmpty()) {
                notSold.add(item.productId());
            }
        }
        if (!unknown.isEmpty()) {
            return new UnknownProducts(List.copyOf(unknown));
        }
        if (!notSold.isEmpty()) {
            return new NotSoldIn(currency, List.copyOf(notSold));
        }
        List<CurrentPrice> changed = new ArrayList<>();
        List<OrderLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (RequestedItem item : items) {
            BigDecimal current = catalogue.get(item.productId()).orElseThrow();
            item.quotedUnitPrice()
                    .filter(quoted -> quoted.compareTo(current) != 0)
                    .ifPresent(quoted -> changed.add(new CurrentPrice(item.productId(), quoted, current)));
            OrderLine line = new OrderLine(item.productId(), item.quantity(), current);
            lines.add(line);
            total = total.add(line.amount());
        }
        if (!changed.isEmpty()) {
            return new PriceChanged(currency, List.copyOf(changed));
        }
        if (total.compareTo(MAX_TOTAL) > 0) {
            return new TotalTooLarge(total);
        }
        return new Priced(List.copyOf(lines), total);
    }
}
