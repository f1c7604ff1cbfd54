package io.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CostFloorTest {

    private final CostFloor.Ingredients ingredients = new CostFloor.Ingredients(0.3, 0.1, 0.2, 0.01, 0.02, 0.03, 0.04);

    @Test
    void givesEachProcessTheIngredientsTheSagaRunsInIt() {
        Map<String, Double> floor = ingredients.perOrder();

        // one request, four transactions (placement and three facts recorded), two events written, three read
        assertThat(floor.get("order-service")).isCloseTo(0.3 + 4 * 0.1 + 2 * 0.01 + 3 * 0.03, within(1e-9));
        assertThat(floor.get("inventory-service")).isCloseTo(0.1 + 0.01 + 0.03, within(1e-9));
        assertThat(floor.get("order-view")).isCloseTo(5 * 0.03, within(1e-9));
        assertThat(floor.get(StackUsage.POSTGRES)).isCloseTo(7 * 0.2, within(1e-9));
        assertThat(floor.get(StackUsage.BROKER)).isCloseTo(5 * 0.02 + 11 * 0.04, within(1e-9));
    }

    @Test
    void theTotalIsTheSumOverTheProcesses() {
        double sum = ingredients.perOrder().values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();

        assertThat(ingredients.total()).isCloseTo(sum, within(1e-9));
        assertThat(ingredients.perOrder()).doesNotContainKey(StackUsage.BENCH_JVM);
    }

    @Test
    void workIsWhatAProcessSpentBeyondItsIdleRate() {
        CpuMeter.Usage usage = new CpuMeter.Usage(
                Map.of("order-service", 1_500L, StackUsage.BROKER, 100L),
                10,
                Map.of("order-service", 50.0, StackUsage.BROKER, 20.0),
                Map.of("order-service", 300L));

        assertThat(usage.workMillis("order-service")).isEqualTo(1_000.0);
        // never below nothing: an idle rate measured high on a noisy machine does not make work negative
        assertThat(usage.workMillis(StackUsage.BROKER)).isZero();
        assertThat(usage.totalMillis()).isEqualTo(1_600L);
        assertThat(usage.systemJitShare()).isCloseTo(300.0 / 1_600, within(1e-9));
    }
}
