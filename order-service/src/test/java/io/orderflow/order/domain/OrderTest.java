package io.orderflow.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant PLACED_AT = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant LATER = PLACED_AT.plusSeconds(5);

    @Test
    void placingAnOrderRaisesOrderPlacedWithTheTotalOfItsLines() {
        OrderPlaced placed = place(new OrderLine("KB-001", 2, new BigDecimal("19.99")),
                new OrderLine("MS-002", 1, new BigDecimal("5")));

        assertThat(placed.order().status()).isEqualTo(OrderStatus.PLACED);
        assertThat(placed.order().totalAmount()).isEqualByComparingTo("44.98");
        assertThat(placed.order().totalAmount().scale()).isEqualTo(2);
    }

    @Test
    void reservedStockMovesAPlacedOrderToReservedOnce() {
        Order order = place(line()).order();

        assertThat(order.stockReserved(LATER)).isEqualTo(Transition.APPLIED);
        assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
        assertThat(order.updatedAt()).isEqualTo(LATER);
        assertThat(order.stockReserved(LATER.plusSeconds(1))).isEqualTo(Transition.ALREADY_THERE);
        assertThat(order.updatedAt()).isEqualTo(LATER);
    }

    @Test
    void rejectedStockMovesAPlacedOrderToRejectedWithTheReason() {
        Order order = place(line()).order();

        assertThat(order.stockRejected("INSUFFICIENT_STOCK: KB-001", LATER)).isEqualTo(Transition.APPLIED);
        assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.rejectionReason()).hasValue("INSUFFICIENT_STOCK: KB-001");
    }

    @Test
    void aLateContradictingAnswerIsIgnoredNotApplied() {
        Order order = place(line()).order();
        order.stockReserved(LATER);

        assertThat(order.stockRejected("late", LATER.plusSeconds(1))).isEqualTo(Transition.IGNORED);
        assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
        assertThat(order.rejectionReason()).isEmpty();
    }

    @Test
    void anOrderHasBetweenOneAndAHundredLines() {
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), "c-1", "EUR", List.of(), PLACED_AT))
                .isInstanceOf(IllegalArgumentException.class);
        List<OrderLine> tooMany = Collections.nCopies(Order.MAX_LINES + 1, line());
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), "c-1", "EUR", tooMany, PLACED_AT))
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

    private static OrderPlaced place(OrderLine... lines) {
        return Order.place(UUID.randomUUID(), "c-1", "EUR", List.of(lines), PLACED_AT);
    }

    private static OrderLine line() {
        return new OrderLine("KB-001", 1, BigDecimal.TEN);
    }
}
