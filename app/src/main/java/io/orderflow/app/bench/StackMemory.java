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

    /** RSS in bytes per process kind: "java" processes by their main class or role, "postgres" together. */
    public static Map<String, Long> residentByKind(Map<Long, String> names) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        kinds.put("bench JVM (launcher, schema registry, provider)", rss(self.pid()));
        try (Stream<ProcessHandle> descendants = self.descendants()) {
            descendants.forEach(process -> {
                String kind = names.getOrDefault(process.pid(), process.info().command()
                        .map(command -> command.contains("postgres") ? "PostgreSQL (all its processes)"
                                : "Kafka broker and other JVMs")
                        .orElse("other"));
                kinds.merge(kind, rss(process.pid()), Long::sum);
            });
        }
        return kinds;
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
