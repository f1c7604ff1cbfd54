package io.orderflow.chaos;

import io.orderflow.bench.BenchReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** What a person reads after a run: the faults and how fast the system got over them, the invariants, the verdict. */
final class ChaosReport {

    private static final int VIOLATIONS_SHOWN = 20;

    /**
     * How long orders took to get through just after a fault: the slowest order among those sent in the second
     * after it struck (or, for an outage or a pause, after it was over).
     */
    record Recovery(FaultKind kind, String target, long startMs, long recoveryMs) {}

    /** One second of the run: orders sent and settled in it, how busy the machine was, the faults in effect. */
    record Second(long second, int sent, int settled, int cpuPercent, List<String> faults) {}

    private ChaosReport() {}

    static List<Recovery> recoveries(
            List<InjectedFault> faults, Map<String, ChaosLoad.Placed> placed, Map<String, Long> settledMs) {
        List<Recovery> recoveries = new ArrayList<>();
        for (InjectedFault fault : faults) {
            boolean lasting = fault.kind() == FaultKind.SERVICE_PAUSE
                    || fault.kind().name().startsWith("PROVIDER_");
            long from = lasting ? fault.healedMs() : fault.startMs();
            if (from < 0) {
                continue;
            }
            long worst = -1;
            for (ChaosLoad.Placed order : placed.values()) {
                if (order.sentMs() >= from && order.sentMs() < from + 1_000) {
                    Long settled = settledMs.get(order.orderId());
                    if (settled != null) {
                        worst = Math.max(worst, settled - order.sentMs());
                    }
                }
            }
            if (worst >= 0) {
                recoveries.add(new Recovery(fault.kind(), fault.target(), fault.startMs(), worst));
            }
        }
        return recoveries;
    }

    static void printFaults(List<InjectedFault> faults, List<Recovery> recoveries) {
        BenchReport.title("Faults injected");
        System.out.printf(Locale.ROOT, "  %-38s %6s   %-40s%n", "fault", "count", "orders sent just after: settled in");
        Map<FaultKind, List<InjectedFault>> byKind = new EnumMap<>(FaultKind.class);
        faults.forEach(fault ->
                byKind.computeIfAbsent(fault.kind(), kind -> new ArrayList<>()).add(fault));
        for (Map.Entry<FaultKind, List<InjectedFault>> kind : byKind.entrySet()) {
            List<Long> times = recoveries.stream()
                    .filter(recovery -> recovery.kind() == kind.getKey())
                    .map(Recovery::recoveryMs)
                    .sorted()
                    .toList();
            System.out.printf(
                    Locale.ROOT,
                    "  %-38s %6d   %s%n",
                    kind.getKey().label(),
                    kind.getValue().size(),
                    times.isEmpty()
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "p50 %5.1f s  p99 %5.1f s  max %5.1f s",
                                    percentile(times, 50) / 1000.0,
                                    percentile(times, 99) / 1000.0,
                                    times.get(times.size() - 1) / 1000.0));
        }
        Map<String, Long> killsPerService = new TreeMap<>(faults.stream()
                .filter(fault ->
                        fault.kind() == FaultKind.SERVICE_KILL || fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION)
                .collect(Collectors.groupingBy(
                        fault -> FaultInjector.serviceOf(fault.target()).displayName(), Collectors.counting())));
        BenchReport.line("SIGKILLs per service", killsPerService.toString());
        Map<String, Long> inTransaction = new TreeMap<>(faults.stream()
                .filter(fault -> fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION)
                .collect(Collectors.groupingBy(
                        fault -> fault.detail().replaceFirst("^pid \\d+, ", ""), Collectors.counting())));
        if (!inTransaction.isEmpty()) {
            BenchReport.line("kills inside a transaction, by moment", inTransaction.toString());
        }
    }

    static void printVerdict(
            Invariants.Verdict verdict,
            List<InjectedFault> faults,
            Map<String, Truth.Order> orders,
            long runStartEpochMs) {
        BenchReport.title("Invariants");
        Map<String, Long> violated = verdict.violationsByInvariant();
        for (Map.Entry<String, Integer> invariant : verdict.checked().entrySet()) {
            long count = violated.getOrDefault(invariant.getKey(), 0L);
            System.out.printf(
                    Locale.ROOT,
                    "  %-72s %6d checked   %s%n",
                    invariant.getKey(),
                    invariant.getValue(),
                    count == 0 ? "OK" : count + " VIOLATED");
        }
        if (verdict.holds()) {
            return;
        }
        BenchReport.title("Violations (" + verdict.violations().size() + ", the first " + VIOLATIONS_SHOWN + ")");
        for (Violation violation : verdict.violations()
                .subList(0, Math.min(VIOLATIONS_SHOWN, verdict.violations().size()))) {
            System.out.println("  " + violation.invariant() + ": " + violation.subject() + ": " + violation.detail());
            violation.evidence().forEach(line -> System.out.println("      " + line));
            Truth.Order order = orders.get(violation.subject());
            if (order != null) {
                long placedMs = order.placedAt().toEpochMilli() - runStartEpochMs;
                long endMs = order.finalEvents().isEmpty()
                        ? placedMs + 60_000
                        : order.finalEvents().get(0).occurredAt().toEpochMilli() - runStartEpochMs;
                faultsAround(faults, placedMs - 10_000, endMs + 10_000)
                        .forEach(fault -> System.out.println("      fault at +" + fault.startMs() / 1000.0 + " s: "
                                + fault.kind().label() + " " + fault.target() + " (" + fault.detail() + ")"));
            }
        }
    }

    /** Faults by kind in a few words: {@code kills 83 (3 in tx), pauses 3, brokers 3, db 3, provider 4, registry 1}. */
    static String briefly(Map<FaultKind, Long> faults) {
        long kills = faults.getOrDefault(FaultKind.SERVICE_KILL, 0L)
                + faults.getOrDefault(FaultKind.SERVICE_KILL_IN_TRANSACTION, 0L);
        long provider = faults.getOrDefault(FaultKind.PROVIDER_OUTAGE, 0L)
                + faults.getOrDefault(FaultKind.PROVIDER_SLOW, 0L)
                + faults.getOrDefault(FaultKind.PROVIDER_ERRORS, 0L);
        return String.format(
                Locale.ROOT,
                "kills %d (%d in tx), pauses %d, brokers %d, db %d, provider %d, registry %d",
                kills,
                faults.getOrDefault(FaultKind.SERVICE_KILL_IN_TRANSACTION, 0L),
                faults.getOrDefault(FaultKind.SERVICE_PAUSE, 0L),
                faults.getOrDefault(FaultKind.BROKER_KILL, 0L),
                faults.getOrDefault(FaultKind.DATABASE_CRASH, 0L) + faults.getOrDefault(FaultKind.DATABASE_RESTART, 0L),
                provider,
                faults.getOrDefault(FaultKind.REGISTRY_RESTART, 0L));
    }

    static List<InjectedFault> faultsAround(List<InjectedFault> faults, long fromMs, long toMs) {
        return faults.stream()
                .filter(fault -> fault.startMs() <= toMs && (fault.healedMs() < 0 || fault.healedMs() >= fromMs))
                .toList();
    }

    static long percentile(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static void writeJson(Path file, Map<String, Object> run) throws IOException {
        Files.createDirectories(file.getParent());
        JsonMapper json =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(file, json.writeValueAsString(new LinkedHashMap<>(run)));
    }
}
