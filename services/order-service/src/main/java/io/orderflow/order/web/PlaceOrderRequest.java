package io.orderflow.order.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/** The body of {@code POST /orders}. */
record PlaceOrderRequest(
        // PostgreSQL cannot store NUL in text, and a lone surrogate would be stored as '?': refused, not mangled.
        @NotBlank
        @Size(max = 64)
        @Pattern(regexp = "[^\\p{Cc}\\p{Cs}]*", message = "must not contain control characters or unpaired surrogates")
        String customerId,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code such as EUR")
        String currency,

        @NotEmpty @Size(max = 100, message = "an order has at most {max} items")
        List<@NotNull @Valid Item> items) {

    /**
     * One product of the order. {@code unitPrice} is optional: the catalogue sets the price; a client that showed
     * the customer a price sends it, and the order is refused (409) when it is no longer the current one.
     */
    record Item(
            @NotBlank
            @Pattern(
                    regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                    message = "must be 1 to 64 letters, digits, '.', '_' or '-'")
            String productId,

            @NotNull @Min(1) @Max(10_000) Integer quantity,

            @DecimalMin(value = "0.01") @Digits(integer = 10, fraction = 2)
            BigDecimal unitPrice) {}

    @AssertTrue(message = "currency is not an ISO 4217 currency")
    boolean isKnownCurrency() {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            return true;
        }
        return ISO_4217.contains(currency);
    }

    /** Built once: the JDK builds a new set on every call of getAvailableCurrencies. */
    private static final java.util.Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
}
