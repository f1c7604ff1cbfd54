package io.orderflow.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration PAYMENT_WINDOW = Duration.ofSeconds(30);

    @Test
    void placingAnOrderRaisesPlacedWithItsLinesAndPaymentDeadline() {
        Order order = place(
                new OrderLine("KB-001", 2, new BigDecimal("19.99")), new OrderLine("MS-002", 1, new BigDecimal("5")));

        assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.totalAmount()).isEqualByComparingTo("44.98");
        assertThat(order.totalAmount().scale()).isEqualTo(2);
        assertThat(order.paymentDue()).isEqualTo(T0.plus(PAYMENT_WINDOW));
        assertThat(order.raised()).singleElement().isInstanceOf(OrderEvent.Placed.class);
        assertThat(order.version()).isEqualTo(1);
        assertThat(order.loadedVersion()).isZero();
    }

    @Test
    void theHappyPathGoesPlacedReservedPaidConfirmed() {
        Order order = place(line());

        order.stockReserved(at(1));
        assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
        order.paymentAuthorized("ch_1", at(2));
        assertThat(order.status()).isEqualTo(OrderStatus.PAID);
        order.shipmentScheduled("DHL", "JD0001", at(3));

        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(types(order))
                .containsExactly("Placed", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "Confirmed");
        assertThat(order.chargeId()).hasValue("ch_1");
        assertThat(order.trackingNumber()).hasValue("JD0001");
    }

    @Test
    void answersArrivingOutOfOrderAcrossTopicsStillConfirmTheOrder() {
        Order order = place(line());

        order.shipmentScheduled("UPS", "1Z0001", at(1));
        order.paymentAuthorized("ch_1", at(2));
        order.stockReserved(at(3));

        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(types(order))
                .containsExactly("Placed", "ShipmentScheduled", "PaymentAuthorized", "Confirmed", "StockReserved");
    }

    @Test
    void aRepeatedFactRaisesNothing() {
        Order order = place(line());
        order.stockReserved(at(1));
        order.paymentAuthorized("ch_1", at(2));
        int version = order.version();

        order.stockReserved(at(3));
        order.paymentAuthorized("ch_1", at(4));

        assertThat(order.version()).isEqualTo(version);
    }

    @Test
    void rejectedStockEndsThePlacedOrder() {
        Order order = place(line());

        order.stockRejected("INSUFFICIENT_STOCK: KB-001", at(1));

        assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.statusReason()).hasValue("INSUFFICIENT_STOCK: KB-001");
        assertThat(types(order)).endsWith("StockRejected", "Rejected");
    }

    @Test
    void aDeclinedPaymentCancelsOnceTheStockIsBackInEitherOrder() {
        Order declinedFirst = reserved();
        declinedFirst.paymentDeclined("insufficient_funds", at(2));
        assertThat(declinedFirst.status()).isEqualTo(OrderStatus.CANCELLING);
        declinedFirst.stockReleased(at(3));
        assertThat(declinedFirst.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(declinedFirst.statusReason()).hasValue("payment declined: insufficient_funds");

        Order releasedFirst = reserved();
        releasedFirst.stockReleased(at(2));
        assertThat(releasedFirst.status()).isEqualTo(OrderStatus.RESERVED);
        releasedFirst.paymentDeclined("insufficient_funds", at(3));
        assertThat(releasedFirst.status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aCustomerCancelOfAPaidOrderWaitsForTheRefundAndTheStock() {
        Order order = reserved();
        order.paymentAuthorized("ch_1", at(2));

        assertThat(order.cancel(at(3))).isInstanceOf(Cancellation.Started.class);
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLING);
        assertThat(order.cancellationReason()).hasValue(CancellationReason.CUSTOMER_REQUEST);
        order.stockReleased(at(4));
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLING);
        order.paymentRefunded("re_1", at(5));

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.cancel(at(6))).isEqualTo(new Cancellation.AlreadyUnderway(OrderStatus.CANCELLED));
    }

    @Test
    void aShipmentThatRacedTheCancellationDoesNotConfirmTheOrder() {
        Order order = reserved();
        order.paymentAuthorized("ch_1", at(2));
        order.cancel(at(3));

        order.shipmentScheduled("DHL", "JD0001", at(4));
        order.paymentRefunded("re_1", at(5));
        order.shipmentCancelled("JD0001", at(6));
        order.stockReleased(at(7));

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(types(order)).doesNotContain("Confirmed");
    }

    @Test
    void aCancelledOrderThatWasNeverReservedIsSettledByTheRejectionAndTheVoid() {
        Order order = place(line());
        order.cancel(at(1));

        order.stockRejected("INSUFFICIENT_STOCK", at(2));
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLING);
        order.paymentVoided(at(3));

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aShippedOrRejectedOrderCannotBeCancelled() {
        Order shipped = reserved();
        shipped.paymentAuthorized("ch_1", at(2));
        shipped.shipmentScheduled("DHL", "JD0001", at(3));
        Order rejected = place(line());
        rejected.stockRejected("INSUFFICIENT_STOCK", at(1));

        assertThat(shipped.cancel(at(4)))
                .isInstanceOf(Cancellation.Refused.class)
                .extracting(c -> ((Cancellation.Refused) c).reason())
                .asString()
                .contains("shipped", "JD0001");
        assertThat(rejected.cancel(at(4))).isInstanceOf(Cancellation.Refused.class);
        assertThat(shipped.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(rejected.status()).isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void theDeadlineCancelsOnlyAnOrderStillWaitingForItsPayment() {
        Order waiting = reserved();
        waiting.paymentDeadlineExpired(T0.plus(PAYMENT_WINDOW).minusMillis(1));
        assertThat(waiting.status()).as("not due yet").isEqualTo(OrderStatus.RESERVED);
        waiting.paymentDeadlineExpired(T0.plus(PAYMENT_WINDOW));
        assertThat(waiting.status()).isEqualTo(OrderStatus.CANCELLING);
        assertThat(waiting.cancellationReason()).hasValue(CancellationReason.PAYMENT_DEADLINE_EXPIRED);

        Order paid = reserved();
        paid.paymentAuthorized("ch_1", at(2));
        paid.paymentDeadlineExpired(T0.plus(PAYMENT_WINDOW));
        assertThat(paid.status()).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void aFailedRefundParksTheOrderForAnOperator() {
        Order order = reserved();
        order.paymentAuthorized("ch_1", at(2));
        order.cancel(at(3));
        order.stockReleased(at(4));

        order.compensationFailed("refund failed after 5 attempts", at(5));

        assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATION_FAILED);
        assertThat(order.statusReason()).hasValue("refund failed after 5 attempts");
        assertThat(order.cancel(at(6))).isInstanceOf(Cancellation.Refused.class);
    }

    @Test
    void replayingTheEventsOrASnapshotAndTheRestGivesTheSameOrder() {
        Order live = reserved();
        live.paymentAuthorized("ch_1", at(2));
        OrderState halfway = live.snapshot();
        live.cancel(at(3));
        live.stockReleased(at(4));
        List<OrderEvent> all = live.raised();

        Order fromEvents = Order.replay(live.id(), Optional.empty(), all);
        Order fromSnapshot = Order.replay(live.id(), Optional.of(halfway), all.subList(halfway.version(), all.size()));

        assertThat(fromEvents.snapshot()).isEqualTo(live.snapshot());
        assertThat(fromSnapshot.snapshot()).isEqualTo(live.snapshot());
        assertThat(fromEvents.raised()).isEmpty();
        assertThat(fromEvents.loadedVersion()).isEqualTo(all.size());
    }

    @Test
    void anOrderHasBetweenOneAndAHundredLines() {
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), "c-1", "EUR", List.of(), PAYMENT_WINDOW, T0))
                .isInstanceOf(IllegalArgumentException.class);
        List<OrderLine> tooMany = Collections.nCopies(Order.MAX_LINES + 1, line());
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), "c-1", "EUR", tooMany, PAYMENT_WINDOW, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineNeedsAPositiveQuantityAndAPriceInCents() {
        assertThatThrownBy(() -> new OrderLine("KB-001", 0, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderLine("KB-001", 1, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderLine("KB-001", 1, new BigDecimal("1.005")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new OrderLine("KB-001", 1, new BigDecimal("1.50")).amount()).isEqualByComparingTo("1.5");
    }

    private static Order reserved() {
        Order order = place(line());
        order.stockReserved(at(1));
        return order;
    }

    private static Order place(OrderLine... lines) {
        return Order.place(UUID.randomUUID(), "c-1", "EUR", List.of(lines), PAYMENT_WINDOW, T0);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<String> types(Order order) {
        return order.raised().stream()
                .map(event -> event.getClass().getSimpleName())
                .toList();
    }

    private static OrderLine line() {
        return new OrderLine("KB-001", 1, BigDecimal.TEN);
    }
}
