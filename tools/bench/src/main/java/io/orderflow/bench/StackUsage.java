package io.orderflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Resident memory (PSS) and CPU time (from /proc) of this process, everything it started, and PostgreSQL: the
 * whole stack of a run, per process.
 */
public final class StackUsage {

    /** The kinds the bench's own processes are counted under; services go by their display names. */
    public static final String BENCH_JVM = "bench JVM (launcher, schema registry, provider)";

    public static final String BROKER = "Kafka broker";
    public static final String POSTGRES = "PostgreSQL (server and backends)";

    private StackUsage() {}

    /**
     * RSS in bytes per process: the services by name, the broker, and PostgreSQL with all its backends (they are not
     * our descendants: pg_ctl detaches the server, so it is found by the pid file in its data directory).
     */
    public static Map<String, Long> residentByKind(Map<Long, String> names, Path postgresData) {
        return byKind(names, postgresData, StackUsage::rss, pid -> 0);
    }

    /** CPU time (user + system) in milliseconds per process, as {@link #residentByKind}. */
    public static Map<String, Long> cpuMillisByKind(Map<Long, String> names, Path postgresData) {
        // PostgreSQL's backends come and go (connections, autovacuum workers): the server adds what its children spent
        // to its own account when they exit, so the sum never loses one.
        return byKind(names, postgresData, StackUsage::cpuMillis, StackUsage::exitedChildrenCpuMillis);
    }

    /**
     * CPU time in milliseconds of the JIT compiler threads of each JVM (none for PostgreSQL): work a JVM does in its
     * first minutes, until its hot code is compiled, and not per order.
     */
    public static Map<String, Long> jitMillisByKind(Map<Long, String> names, Path postgresData) {
        Map<String, Long> jit = byKind(names, postgresData, StackUsage::jitMillis, pid -> 0);
        jit.remove(POSTGRES);
        return jit;
    }

    private static Map<String, Long> byKind(
            Map<Long, String> names,
            Path postgresData,
            java.util.function.LongUnaryOperator measure,
            java.util.function.LongUnaryOperator exitedChildren) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        kinds.put(BENCH_JVM, measure.applyAsLong(self.pid()));
        try (Stream<ProcessHandle> descendants = self.descendants()) {
            descendants.forEach(process -> kinds.merge(
                    names.getOrDefault(process.pid(), BROKER), measure.applyAsLong(process.pid()), Long::sum));
        }
        postmaster(postgresData).ifPresent(server -> {
            long total = measure.applyAsLong(server.pid()) + exitedChildren.applyAsLong(server.pid());
            try (Stream<ProcessHandle> backends = server.descendants()) {
                total += backends.mapToLong(backend -> measure.applyAsLong(backend.pid()))
                        .sum();
            }
            kinds.put(POSTGRES, total);
        });
        return kinds;
    }

    /** cutime + cstime of /proc/pid/stat: what the process's children that have exited spent, in milliseconds. */
    static long exitedChildrenCpuMillis(long pid) {
        return ticksAsMillis(Path.of("/proc", String.valueOf(pid), "stat"), 13);
    }

    /** utime + stime of /proc/pid/stat, in milliseconds. */
    static long cpuMillis(long pid) {
        return ticksAsMillis(Path.of("/proc", String.valueOf(pid), "stat"), 11);
    }

    /** utime + stime of the threads of a JVM named for its C1 and C2 compilers, in milliseconds. */
    static long jitMillis(long pid) {
        long total = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String comm = Files.readString(thread.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        total += ticksAsMillis(thread.resolve("stat"), 11);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // a compiler thread that ended between the listing and the read: its time is gone with it
                }
            }
        } catch (IOException | RuntimeException processGone) {
            return total;
        }
        return total;
    }

    /**
     * Two consecutive clock-tick fields of a stat file (counted after the command's closing parenthesis), summed, in
     * milliseconds: ticks of 10 ms, Linux's USER_HZ. 0 when the process or thread is gone.
     */
    private static long ticksAsMillis(Path stat, int field) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[field]) + Long.parseLong(fields[field + 1])) * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static java.util.Optional<ProcessHandle> postmaster(Path dataDirectory) {
        try {
            String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .trim();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Proportional resident bytes (PSS) of one process: pages shared with other processes (PostgreSQL's shared
     * buffers, the JDK's class data) are split among them, so the sum over processes is the memory really used.
     * 0 when the process is gone or /proc is not there.
     */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
