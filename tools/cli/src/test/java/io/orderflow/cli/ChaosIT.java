package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.chaos.ChaosRun;
import io.orderflow.chaos.ChaosSettings;
import io.orderflow.chaos.FaultKind;
import io.orderflow.chaos.InjectedFault;
import io.orderflow.devstack.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The short seeded chaos run (what {@code orderflow chaos --quick} runs): 75 seconds of mixed load on
 * three Kafka nodes and two instances of every service, while instances are SIGKILLed (one inside a database
 * transaction), the active controller is killed, PostgreSQL crashes, the provider goes down and the registry restarts;
 * then every invariant is checked on the truth. That the checker catches what it claims is {@code InvariantsTest}'s.
 */
class ChaosIT {

    private static final long SEED = 20261129;

    @Test
    void aShortSeededRunOfCrashesRestartsAndOutagesBreaksNoInvariant() throws Exception {
        Path report = Files.createTempDirectory("orderflow-chaos-");
        try {
            ChaosRun.Result result = new ChaosRun(ChaosSettings.quick(SEED, report)).run();

            assertThat(result.problems())
                    .as("problems injecting or healing faults")
                    .isEmpty();
            assertThat(result.verdict().violations()).as("violations").isEmpty();
            assertThat(result.orders()).isGreaterThan(500);
            assertThat(result.verdict().checked()).hasSizeGreaterThanOrEqualTo(19);
            Map<FaultKind, Long> faults =
                    result.faults().stream().collect(Collectors.groupingBy(InjectedFault::kind, Collectors.counting()));
            assertThat(faults)
                    .containsKeys(
                            FaultKind.SERVICE_KILL,
                            FaultKind.SERVICE_KILL_IN_TRANSACTION,
                            FaultKind.BROKER_KILL,
                            FaultKind.DATABASE_CRASH,
                            FaultKind.PROVIDER_OUTAGE,
                            FaultKind.REGISTRY_RESTART);
            assertThat(result.faults()).allMatch(InjectedFault::healed);
        } finally {
            DevStack.wipe(report);
        }
    }
}
