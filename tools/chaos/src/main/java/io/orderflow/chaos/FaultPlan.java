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

    /** Longer than the session timeouts of the consumers (10 s) and of Kafka Streams (45 s): the group moves on. */
    static final Duration PAUSE_MIN = Duration.ofSeconds(50);

    // A paused instance has its service to itself this long: the pause, the rebalance after it and a margin.
    static final Duration PAUSE_BLOCK = Duration.ofSeconds(75);

    // About what a restart takes on two busy cores: kills planned closer than this only queue.
    private static final Duration MIN_KILL_SPACING = Duration.ofSeconds(15);

    // Faults start once the load runs steadily and end before it stops, so that every fault has orders around it.
    private static final Duration LEAD_IN = Duration.ofSeconds(10);
    static final Duration LEAD_OUT = Duration.ofSeconds(5);

    private FaultPlan() {}

    public static List<PlannedFault> of(ChaosSettings settings) {
        Random random = new Random(settings.seed());
        long window = settings.load().minus(LEAD_IN).minus(LEAD_OUT).toMillis();
        List<PlannedFault> faults = new ArrayList<>();
        int inTransaction = settings.killsInTransaction();
        List<ServiceName> withDatabase = SERVICES.stream()
                .filter(service -> service != ServiceName.ORDER_VIEW)
                .toList();
        for (int index = 0; index < SERVICES.size(); index++) {
            ServiceName service = SERVICES.get(index);
            // Kills inside a transaction go to the services with a database, spread over them.
            int timed = service == ServiceName.ORDER_VIEW
                    ? 0
                    : share(inTransaction, withDatabase.size(), withDatabase.indexOf(service));
            int pauses = share(settings.pauses(), SERVICES.size(), index);
            serviceFaults(service, index, settings.killsPerService(), timed, pauses, window, random, faults);
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

    /**
     * A service's kills and pauses on a timeline of their own, evenly spaced: one instance of a service is down at a
     * time, so its next fault waits for the instance before it to be back, and faults bunched at random would queue
     * up and trail the load. A pause keeps its service for {@link #PAUSE_BLOCK}; the kills share the rest. Each
     * service's timeline is shifted by a fraction of the spacing, so that the services' restarts take turns.
     */
    private static void serviceFaults(
            ServiceName service,
            int index,
            int kills,
            int killsInTransaction,
            int pauses,
            long window,
            Random random,
            List<PlannedFault> into) {
        long block = PAUSE_BLOCK.toMillis();
        // A short load has no room for a pause beside its kills: the kills come first.
        while (pauses > 0 && window - pauses * block < kills * MIN_KILL_SPACING.toMillis()) {
            pauses--;
        }
        long forKills = Math.max(1, window - pauses * block);
        long spacing = kills == 0 ? forKills : forKills / kills;
        long shift = spacing * index / SERVICES.size();
        // A pause takes the place of a kill's slot, so that the kill before it has had its time.
        long[] pauseStarts = new long[pauses];
        for (int i = 0; i < pauses; i++) {
            pauseStarts[i] = kills == 0 ? random.nextLong(forKills) : random.nextInt(kills) * spacing + shift;
        }
        java.util.Arrays.sort(pauseStarts);
        for (int i = 0; i < pauses; i++) {
            into.add(new PlannedFault(
                    at(pauseStarts[i] + i * block),
                    FaultKind.SERVICE_PAUSE,
                    instance(service, 1 + random.nextInt(INSTANCES)),
                    PAUSE_MIN.plusMillis(random.nextLong(10_000))));
        }
        for (int i = 0; i < kills; i++) {
            // Within the service's turn: shifted by at most 4/5 of a spacing, and by less than 1/10 at random.
            long moment = i * spacing + shift + random.nextLong(Math.max(1, spacing / (2L * SERVICES.size())));
            int pausesBefore = 0;
            while (pausesBefore < pauses && pauseStarts[pausesBefore] <= moment) {
                pausesBefore++;
            }
            into.add(new PlannedFault(
                    at(moment + pausesBefore * block),
                    inTransaction(i, kills, killsInTransaction)
                            ? FaultKind.SERVICE_KILL_IN_TRANSACTION
                            : FaultKind.SERVICE_KILL,
                    instance(service, 1 + random.nextInt(INSTANCES)),
                    Duration.ofMillis(500 + random.nextLong(2_500))));
        }
    }

    /** Whether the {@code i}th of {@code kills} is one of the {@code timed}, which are spread evenly over them. */
    private static boolean inTransaction(int i, int kills, int timed) {
        return (long) i * timed / kills != (long) (i + 1) * timed / kills;
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
