package io.orderflow.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationsTest {

    private final Map<String, StockLevel> stock = Map.of(
            "KB-001", new StockLevel("KB-001", 5),
            "MS-002", new StockLevel("MS-002", 1));

    @Test
    void reservesAnOrderWhoseEveryLineIsCovered() {
        var decision =
                Reservations.decide(List.of(new RequestedLine("KB-001", 5), new RequestedLine("MS-002", 1)), stock);

        assertThat(decision)
                .isEqualTo(new ReservationDecision.Reserve(
                        List.of(new RequestedLine("KB-001", 5), new RequestedLine("MS-002", 1))));
    }

    @Test
    void rejectsTheWholeOrderWhenOneLineIsShortAndNamesOnlyTheShortLines() {
        var decision =
                Reservations.decide(List.of(new RequestedLine("KB-001", 1), new RequestedLine("MS-002", 3)), stock);

        assertThat(decision)
                .isEqualTo(new ReservationDecision.Reject(
                        ReservationDecision.Reason.INSUFFICIENT_STOCK, List.of(new ShortLine("MS-002", 3, 1))));
    }

    @Test
    void addsUpLinesOfTheSameProductBeforeChecking() {
        var decision =
                Reservations.decide(List.of(new RequestedLine("KB-001", 3), new RequestedLine("KB-001", 3)), stock);

        assertThat(decision)
                .isEqualTo(new ReservationDecision.Reject(
                        ReservationDecision.Reason.INSUFFICIENT_STOCK, List.of(new ShortLine("KB-001", 6, 5))));
    }

    @Test
    void rejectsAnOrderNamingAProductThatDoesNotExist() {
        var decision =
                Reservations.decide(List.of(new RequestedLine("KB-001", 1), new RequestedLine("XX-999", 1)), stock);

        assertThat(decision)
                .isEqualTo(new ReservationDecision.Reject(
                        ReservationDecision.Reason.UNKNOWN_PRODUCT, List.of(new ShortLine("XX-999", 1, 0))));
    }

    @Test
    void refusesAnOrderWithoutLines() {
        assertThatThrownBy(() -> Reservations.decide(List.of(), stock)).isInstanceOf(IllegalArgumentException.class);
    }
}
