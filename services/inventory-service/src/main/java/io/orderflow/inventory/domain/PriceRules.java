package io.orderflow.inventory.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What a price list may hold: ISO 4217 currencies, positive amounts that fit the contract's decimal(12, 2). */
public final class PriceRules {

    /** The largest unit price the catalogue events can carry: decimal(12, 2). */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    private PriceRules() {}

    /** What is wrong with each price, one message per broken rule; empty when the list can be used. */
    public static List<String> violations(Map<String, BigDecimal> prices) {
        List<String> violations = new ArrayList<>();
        prices.forEach((currency, amount) -> {
            if (currency == null || !ISO_4217.contains(currency)) {
                violations.add(printable(currency) + ": not an ISO 4217 currency code such as EUR");
            } else if (amount == null) {
                violations.add(currency + ": an amount is required");
            } else if (amount.signum() <= 0) {
                violations.add(currency + ": must be greater than 0");
            } else if (amount.stripTrailingZeros().scale() > 2) {
                violations.add(currency + ": at most 2 decimals");
            } else if (amount.compareTo(MAX_AMOUNT) > 0) {
                violations.add(currency + ": at most " + MAX_AMOUNT.toPlainString());
            }
        });
        return violations;
    }

    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.codePoints()
                .limit(16)
                .mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c))
                .collect(Collectors.joining());
        return "'" + shown + (text.length() > 16 ? "…" : "") + "'";
    }
}
