package io.orderflow.view.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an order adds to revenue: the money taken, less the money given back, never a refund of money not counted. */
class OrderViewRevenueTest {

    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");
    private final List<RevenueChange> revenue = new ArrayList<>();
    private OrderView view = OrderView.empty(UUID.randomUUID().toString());

    @Test
    void anAuthorizedAndThenRefundedPaymentAddsNothingInTheEnd() {
        apply("PaymentAuthorized", new OrderFact.PaymentAuthorized(new BigDecimal("89.90"), "EUR", "ch_1"));
        apply("PaymentRefunded", new OrderFact.PaymentRefunded(new BigDecimal("89.90"), "EUR", "re_1"));

        assertThat(revenue)
                .extracting(RevenueChange::amount)
                .containsExactly(new BigDecimal("89.90"), new BigDecimal("-89.90"));
    }

    /**
     * A charge the provider made while the payment service never heard its answer (a crash, a timeout) is found and
     * refunded later: the payment was voided, never authorized, so its refund gives back money revenue never counted.
     * Found by {@code orderflow chaos}: the read side's revenue fell below the provider's net takings.
     */
    @Test
    void theRefundOfALostChargeTakesNothingFromRevenue() {
        apply("PaymentVoided", new OrderFact.PaymentVoided("cancelled by the customer"));
        apply("PaymentRefunded", new OrderFact.PaymentRefunded(new BigDecimal("89.90"), "EUR", "re_1"));

        assertThat(revenue).isEmpty();
        assertThat(view.payment().status()).isEqualTo(Payment.Status.REFUNDED);
    }

    @Test
    void theRefundOfALostChargeOfAnOrderWithNoPaymentYetTakesNothingFromRevenue() {
        apply("PaymentRefunded", new OrderFact.PaymentRefunded(new BigDecimal("12.00"), "GBP", "re_2"));

        assertThat(revenue).isEmpty();
    }

    /**
     * An authorization dead-lettered by the view and replayed after its refund arrives last: the money was taken and
     * given back, so revenue nets to nothing, and the payment stays refunded.
     */
    @Test
    void anAuthorizationThatArrivesAfterItsRefundNetsToNothing() {
        apply("PaymentRefunded", new OrderFact.PaymentRefunded(new BigDecimal("89.90"), "EUR", "re_1"));
        apply("PaymentAuthorized", new OrderFact.PaymentAuthorized(new BigDecimal("89.90"), "EUR", "ch_1"));

        assertThat(revenue.stream().map(RevenueChange::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0");
        assertThat(view.payment().status()).isEqualTo(Payment.Status.REFUNDED);
        assertThat(view.payment().chargeId()).isEqualTo("ch_1");
    }

    private void apply(String type, OrderFact fact) {
        FactMeta meta = new FactMeta(UUID.randomUUID().toString(), type, "payment-service", AT, AT, 0);
        OrderView.Applied applied = view.apply(meta, fact).orElseThrow();
        view = applied.view();
        revenue.addAll(applied.revenue());
    }
}
