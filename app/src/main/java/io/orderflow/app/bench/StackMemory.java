package io.orderflow.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Resident memory (RSS, from /proc) of this process and everything it started: the whole stack of a run. */
public final class StackMemory {

    private StackMemory() {
    }

    /**
     * RSS in bytes per process: the services by name, the broker, and PostgreSQL with all its backends (they are not
     * our descendants: pg_ctl detaches the server, so it is found by the pid file in its data directory).
     */
    public static Map<String, Long> residentByKind(Map<Long, String> names, Path postgresData) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        kinds.put("bench JVM (launcher, schema registry, provider)", rss(self.pid()));
        try (Stream<ProcessHandle> descendants = self.descendants()) {
            descendants.forEach(process -> kinds.merge(names.getOrDefault(process.pid(), "Kafka broker"),
                    rss(process.pid()), Long::sum));
        }
        postmaster(postgresData).ifPresent(server -> {
            long total = rss(server.pid());
            try (Stream<ProcessHandle> backends = server.descendants()) {
                total += backends.mapToLong(backend -> rss(backend.pid())).sum();
            }
            kinds.put("PostgreSQL (server and backends; shared buffers counted once per process)", total);
        });
        return kinds;
    }

    private static java.util.Optional<ProcessHandle> postmaster(Path dataDirectory) {
        try {
            String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Resident bytes of one process; 0 when it is gone or /proc is not there. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
