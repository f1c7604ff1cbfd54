package io.orderflow.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of every process of a run, by kind (a service, the broker, PostgreSQL, the bench's own JVM), between two
 * moments; and what the stack spends doing nothing, so that a measurement of one ingredient can leave it out.
 */
final class CpuMeter {

    private final Supplier<Map<Long, String>> processNames;
    private final Path postgresData;
    private Map<String, Double> idleMillisPerSecond = Map.of();

    CpuMeter(Supplier<Map<Long, String>> processNames, Path postgresData) {
        this.processNames = processNames;
        this.postgresData = postgresData;
    }

    /** A reading to measure from. */
    Reading read() {
        return new Reading(
                StackUsage.cpuMillisByKind(processNames.get(), postgresData),
                StackUsage.jitMillisByKind(processNames.get(), postgresData),
                System.nanoTime());
    }

    /** Measures, over {@code seconds} of nothing to do, what each process spends idle: polls, heartbeats, timers. */
    void measureIdle(double seconds) throws InterruptedException {
        Reading before = read();
        Thread.sleep((long) (seconds * 1000));
        Usage idle = before.until(read());
        Map<String, Double> rates = new HashMap<>();
        idle.millisByKind().forEach((kind, millis) -> rates.put(kind, millis / idle.seconds()));
        idleMillisPerSecond = rates;
    }

    /** CPU milliseconds per second that the stack spends idle, over every process. */
    double idleMillisPerSecond() {
        return idleMillisPerSecond.values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
    }

    /** The idle spending of each kind of process that spends any, largest first. */
    String describeIdle() {
        return idleMillisPerSecond.entrySet().stream()
                .filter(kind -> kind.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(kind -> String.format(java.util.Locale.ROOT, "%s %.0f", shortName(kind.getKey()), kind.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String shortName(String kind) {
        return kind.equals(StackUsage.BENCH_JVM) ? "bench JVM" : kind.equals(StackUsage.POSTGRES) ? "PostgreSQL" : kind;
    }

    /** A moment's CPU times. */
    final class Reading {
        private final Map<String, Long> millisByKind;
        private final Map<String, Long> jitMillisByKind;
        private final long nanos;

        private Reading(Map<String, Long> millisByKind, Map<String, Long> jitMillisByKind, long nanos) {
            this.millisByKind = millisByKind;
            this.jitMillisByKind = jitMillisByKind;
            this.nanos = nanos;
        }

        /** What each kind of process spent from this reading to a later one. */
        Usage until(Reading later) {
            return new Usage(
                    difference(millisByKind, later.millisByKind),
                    (later.nanos - nanos) / 1e9,
                    idleMillisPerSecond,
                    difference(jitMillisByKind, later.jitMillisByKind));
        }

        private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
            Map<String, Long> used = new LinkedHashMap<>();
            // Never below nothing: a thread whose time is read before and not after (a compiler thread the JVM ended)
            // must not make the span's use negative.
            after.forEach((kind, millis) -> used.put(kind, Math.max(0, millis - before.getOrDefault(kind, 0L))));
            return used;
        }
    }

    /**
     * CPU milliseconds by kind of process over a span of {@code seconds}, and the part of them its JIT compilers
     * spent.
     */
    record Usage(
            Map<String, Long> millisByKind,
            double seconds,
            Map<String, Double> idleRates,
            Map<String, Long> jitMillisByKind) {

        long millis(String kind) {
            return millisByKind.getOrDefault(kind, 0L);
        }

        long jitMillis(String kind) {
            return jitMillisByKind.getOrDefault(kind, 0L);
        }

        /** The JIT compilers' share of what the processes other than the bench's own JVM spent. */
        double systemJitShare() {
            long all = 0;
            long jit = 0;
            for (Map.Entry<String, Long> kind : millisByKind.entrySet()) {
                if (!kind.getKey().equals(StackUsage.BENCH_JVM)) {
                    all += kind.getValue();
                    jit += jitMillis(kind.getKey());
                }
            }
            return all == 0 ? 0 : (double) jit / all;
        }

        /** What a kind spent beyond its idle rate over the span: the work it was given. */
        double workMillis(String kind) {
            return Math.max(0, millis(kind) - idleRates.getOrDefault(kind, 0.0) * seconds);
        }

        long totalMillis() {
            return millisByKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
