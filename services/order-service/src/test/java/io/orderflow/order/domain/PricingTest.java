package io.orderflow.order.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.order.domain.Pricing.RequestedItem;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricingTest {

    private static final Map<String, Optional<BigDecimal>> CATALOGUE_IN_EUR = Map.of(
            "KB-001", Optional.of(new BigDecimal("89.90")),
            "MS-002", Optional.of(new BigDecimal("24.50")),
            "US-ONLY", Optional.empty());

    @Test
    void pricesEveryLineAtTheCataloguePrice() {
        Pricing.Outcome outcome =
                Pricing.price("EUR", List.of(item("KB-001", 1, null), item("MS-002", 2, null)), CATALOGUE_IN_EUR);

        Pricing.Priced priced = (Pricing.Priced) outcome;
        assertThat(priced.lines())
                .extracting(OrderLine::unitPrice)
                .containsExactly(new BigDecimal("89.90"), new BigDecimal("24.50"));
        assertThat(priced.total()).isEqualByComparingTo("138.90");
    }

    @Test
    void aQuotedPriceEqualToTheCurrentOneInAnotherScaleIsAccepted() {
        assertThat(Pricing.price("EUR", List.of(item("MS-002", 1, "24.5")), CATALOGUE_IN_EUR))
                .isInstanceOf(Pricing.Priced.class);
    }

    @Test
    void aStaleQuotedPriceIsRefusedNamingTheCurrentPrice() {
        Pricing.Outcome outcome =
                Pricing.price("EUR", List.of(item("KB-001", 1, "0.01"), item("MS-002", 1, "24.50")), CATALOGUE_IN_EUR);

        assertThat(outcome)
                .isEqualTo(new Pricing.PriceChanged(
                        "EUR",
                        List.of(new Pricing.CurrentPrice("KB-001", new BigDecimal("0.01"), new BigDecimal("89.90")))));
    }

    @Test
    void unknownProductsComeBeforeProductsNotSoldInTheCurrency() {
        assertThat(Pricing.price(
                        "EUR",
                        List.of(item("US-ONLY", 1, null), item("XX", 1, null), item("XX", 2, null)),
                        CATALOGUE_IN_EUR))
                .isEqualTo(new Pricing.UnknownProducts(List.of("XX")));
        assertThat(Pricing.price("EUR", List.of(item("US-ONLY", 1, null)), CATALOGUE_IN_EUR))
                .isEqualTo(new Pricing.NotSoldIn("EUR", List.of("US-ONLY")));
    }

    @Test
    void aTotalPastWhatAnOrderCarriesIsRefused() {
        Map<String, Optional<BigDecimal>> dear = Map.of("YACHT", Optional.of(new BigDecimal("9999999999.99")));

        assertThat(Pricing.price("EUR", List.of(item("YACHT", 100, null)), dear))
                .isInstanceOf(Pricing.Priced.class);
        assertThat(Pricing.price("EUR", List.of(item("YACHT", 101, null)), dear))
                .isInstanceOf(Pricing.TotalTooLarge.class);
    }

    private static RequestedItem item(String productId, int quantity, String quoted) {
        return new RequestedItem(
                productId, quantity, Optional.ofNullable(quoted).map(BigDecimal::new));
    }
}
