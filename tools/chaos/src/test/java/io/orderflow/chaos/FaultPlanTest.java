package io.orderflow.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private final ChaosSettings standard = ChaosSettings.standard(42, Path.of("report"));

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        assertThat(FaultPlan.of(standard)).isEqualTo(FaultPlan.of(ChaosSettings.standard(42, Path.of("elsewhere"))));
        assertThat(FaultPlan.of(standard)).isNotEqualTo(FaultPlan.of(ChaosSettings.standard(43, Path.of("report"))));
    }

    @Test
    void theDefaultRunKillsEveryServiceThirtyTimesAndHoldsEveryOtherFault() {
        List<PlannedFault> plan = FaultPlan.of(standard);

        Map<String, Long> killsPerService = plan.stream()
                .filter(fault ->
                        fault.kind() == FaultKind.SERVICE_KILL || fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION)
                .collect(Collectors.groupingBy(
                        fault -> FaultInjector.serviceOf(fault.target()).displayName(), Collectors.counting()));
        assertThat(killsPerService)
                .hasSize(5)
                .allSatisfy((service, kills) -> assertThat(kills).isGreaterThanOrEqualTo(30));
        Map<FaultKind, Long> byKind =
                plan.stream().collect(Collectors.groupingBy(PlannedFault::kind, Collectors.counting()));
        assertThat(byKind.get(FaultKind.BROKER_KILL)).isGreaterThanOrEqualTo(5);
        assertThat(byKind.get(FaultKind.DATABASE_CRASH) + byKind.get(FaultKind.DATABASE_RESTART))
                .isGreaterThanOrEqualTo(5);
        assertThat(byKind)
                .containsKeys(
                        FaultKind.SERVICE_PAUSE,
                        FaultKind.SERVICE_KILL_IN_TRANSACTION,
                        FaultKind.PROVIDER_OUTAGE,
                        FaultKind.PROVIDER_SLOW,
                        FaultKind.PROVIDER_ERRORS,
                        FaultKind.REGISTRY_RESTART);
    }

    @Test
    void everyFaultFallsInsideTheLoadAndBrokersGoDownOneAtATime() {
        List<PlannedFault> plan = FaultPlan.of(standard);

        assertThat(plan).allSatisfy(fault -> assertThat(fault.at()).isLessThan(standard.load()));
        List<PlannedFault> brokers = plan.stream()
                .filter(fault -> fault.kind() == FaultKind.BROKER_KILL)
                .toList();
        for (int i = 1; i < brokers.size(); i++) {
            Duration previousEnds =
                    brokers.get(i - 1).at().plus(brokers.get(i - 1).hold());
            assertThat(brokers.get(i).at()).isGreaterThan(previousEnds.plusSeconds(20));
        }
        assertThat(plan.stream().filter(fault -> fault.kind() == FaultKind.SERVICE_PAUSE))
                .allSatisfy(pause -> assertThat(pause.hold()).isGreaterThan(Duration.ofSeconds(45)));
    }

    @Test
    void aServicesFaultsAreSpacedSoThatOneInstanceDownAtATimeKeepsUp() {
        List<PlannedFault> plan = FaultPlan.of(standard);

        for (var service : FaultPlan.SERVICES) {
            List<PlannedFault> own = plan.stream()
                    .filter(fault -> java.util.EnumSet.of(
                                    FaultKind.SERVICE_KILL,
                                    FaultKind.SERVICE_KILL_IN_TRANSACTION,
                                    FaultKind.SERVICE_PAUSE)
                            .contains(fault.kind()))
                    .filter(fault -> FaultInjector.serviceOf(fault.target()) == service)
                    .toList();
            for (int i = 1; i < own.size(); i++) {
                PlannedFault before = own.get(i - 1);
                Duration gap = own.get(i).at().minus(before.at());
                if (before.kind() == FaultKind.SERVICE_PAUSE) {
                    assertThat(gap).as("after a pause of %s", service).isGreaterThanOrEqualTo(FaultPlan.PAUSE_BLOCK);
                } else {
                    assertThat(gap).as("between kills of %s", service).isGreaterThanOrEqualTo(Duration.ofSeconds(14));
                }
            }
        }
        List<PlannedFault> inTransaction = plan.stream()
                .filter(fault -> fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION)
                .toList();
        assertThat(inTransaction).hasSize(standard.killsInTransaction());
        assertThat(inTransaction.get(inTransaction.size() - 1).at())
                .as("kills inside a transaction spread over the run, not bunched at its start")
                .isGreaterThan(standard.load().dividedBy(2));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.5, 1, 1.6, 2, 3, 12, 60, 1439})
    void anyLengthOfLoadKeepsEveryFaultInsideItAndEveryServicesKillsApart(double minutes) {
        ChaosSettings settings = standard.withLoad(Duration.ofMillis(Math.round(minutes * 60_000)), 5);
        List<PlannedFault> plan = FaultPlan.of(settings);

        assertThat(plan)
                .allSatisfy(fault -> assertThat(fault.at())
                        .isLessThanOrEqualTo(settings.load().minus(FaultPlan.LEAD_OUT)));
        long window = settings.load().toMillis() - 15_000;
        for (var service : FaultPlan.SERVICES) {
            List<Duration> kills = plan.stream()
                    .filter(fault -> fault.kind() == FaultKind.SERVICE_KILL
                            || fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION)
                    .filter(fault -> FaultInjector.serviceOf(fault.target()) == service)
                    .map(PlannedFault::at)
                    .toList();
            assertThat(kills).hasSize(settings.killsPerService());
            // Never closer than most of an even share of the window, whatever pauses took.
            Duration least = Duration.ofMillis(Math.min(15_000, window / kills.size()) * 8 / 10);
            for (int i = 1; i < kills.size(); i++) {
                assertThat(kills.get(i).minus(kills.get(i - 1)))
                        .as("%s min: kills %d and %d of %s", minutes, i, i + 1, service)
                        .isGreaterThanOrEqualTo(least);
            }
        }
    }

    @Test
    void theQuickRunsFaultsFitItsLoad() {
        ChaosSettings quick = ChaosSettings.quick(7, Path.of("report"));

        assertThat(FaultPlan.of(quick))
                .isNotEmpty()
                .allSatisfy(fault ->
                        assertThat(fault.at()).isLessThanOrEqualTo(quick.load().minus(FaultPlan.LEAD_OUT)));
    }

    @Test
    void withoutFaultsThePlanIsEmpty() {
        assertThat(FaultPlan.of(standard.withoutFaults())).isEmpty();
    }
}
