package io.orderflow.chaos;

import io.orderflow.devstack.ServiceName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The fault schedule of a run, made from its seed alone: the same seed and settings give the same faults at the same
 * moments, so a run that found something can be run again.
 */
public final class FaultPlan {

    /** The services a chaos run runs twice and kills; the dashboard is not part of the saga. */
    public static final List<ServiceName> SERVICES = List.of(
            ServiceName.ORDER,
            ServiceName.INVENTORY,
            ServiceName.PAYMENT,
            ServiceName.SHIPPING,
            ServiceName.ORDER_VIEW);

    public static final int INSTANCES = 2;

    /** Longer than the consumers' and Kafka Streams' session timeout (45 s), so that the group moves on. */
    static final Duration PAUSE_MIN = Duration.ofSeconds(50);

    // Faults start once the load runs steadily and end before it stops, so that every fault has orders around it.
    private static final Duration LEAD_IN = Duration.ofSeconds(10);
    private static final Duration LEAD_OUT = Duration.ofSeconds(5);

    private FaultPlan() {}

    public static List<PlannedFault> of(ChaosSettings settings) {
        Random random = new Random(settings.seed());
        long window = settings.load().minus(LEAD_IN).minus(LEAD_OUT).toMillis();
        List<PlannedFault> faults = new ArrayList<>();
        int inTransaction = settings.killsInTransaction();
        List<ServiceName> withDatabase = SERVICES.stream()
                .filter(service -> service != ServiceName.ORDER_VIEW)
                .toList();
        for (ServiceName service : SERVICES) {
            // Kills inside a transaction go to the services with a database, spread over them.
            int timed = service == ServiceName.ORDER_VIEW
                    ? 0
                    : share(inTransaction, withDatabase.size(), withDatabase.indexOf(service));
            for (int i = 0; i < settings.killsPerService(); i++) {
                faults.add(new PlannedFault(
                        at(random.nextLong(window)),
                        i < timed ? FaultKind.SERVICE_KILL_IN_TRANSACTION : FaultKind.SERVICE_KILL,
                        instance(service, 1 + random.nextInt(INSTANCES)),
                        Duration.ofMillis(500 + random.nextLong(4_500))));
            }
        }
        long pauseWindow = Math.max(1, window - PAUSE_MIN.toMillis() - 15_000);
        for (int i = 0; i < settings.pauses(); i++) {
            ServiceName service = SERVICES.get(i % SERVICES.size());
            faults.add(new PlannedFault(
                    at(random.nextLong(pauseWindow)),
                    FaultKind.SERVICE_PAUSE,
                    instance(service, 1 + random.nextInt(INSTANCES)),
                    PAUSE_MIN.plusMillis(random.nextLong(10_000))));
        }
        // One node down at a time, each in a slot of its own: a second loss would stop every write (two replicas
        // must be in sync), which tests patience, not correctness.
        spread(
                settings.brokerKills(),
                window,
                random,
                (slot, i) -> new PlannedFault(
                        slot,
                        FaultKind.BROKER_KILL,
                        i % 2 == 0 ? "controller" : "node-" + random.nextInt(settings.brokers()),
                        Duration.ofMillis(3_000 + random.nextLong(12_000))),
                faults);
        spread(
                settings.databaseRestarts(),
                window,
                random,
                (slot, i) -> new PlannedFault(
                        slot,
                        i % 2 == 0 ? FaultKind.DATABASE_CRASH : FaultKind.DATABASE_RESTART,
                        "postgresql",
                        Duration.ofMillis(1_000 + random.nextLong(5_000))),
                faults);
        spread(
                settings.providerFaults(),
                window,
                random,
                (slot, i) -> new PlannedFault(
                        slot,
                        List.of(FaultKind.PROVIDER_OUTAGE, FaultKind.PROVIDER_SLOW, FaultKind.PROVIDER_ERRORS)
                                .get(i % 3),
                        "payment-provider",
                        Duration.ofMillis(10_000 + random.nextLong(20_000))),
                faults);
        spread(
                settings.registryRestarts(),
                window,
                random,
                (slot, i) -> new PlannedFault(
                        slot,
                        FaultKind.REGISTRY_RESTART,
                        "schema-registry",
                        Duration.ofMillis(500 + random.nextLong(3_000))),
                faults);
        faults.sort(Comparator.comparing(PlannedFault::at));
        return List.copyOf(faults);
    }

    public static String instance(ServiceName service, int number) {
        return service.displayName() + "-" + number;
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static Duration at(long millisIntoWindow) {
        return LEAD_IN.plusMillis(millisIntoWindow);
    }

    private interface Maker {
        PlannedFault make(Duration at, int index);
    }

    /** {@code count} faults, one in each of as many equal slots of the window, at a random moment of its first half. */
    private static void spread(int count, long window, Random random, Maker maker, List<PlannedFault> into) {
        if (count == 0) {
            return;
        }
        long slot = window / count;
        for (int i = 0; i < count; i++) {
            into.add(maker.make(at(i * slot + random.nextLong(Math.max(1, slot / 2))), i));
        }
    }
}
