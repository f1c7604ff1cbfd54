package io.orderflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What PostgreSQL's own log says about a run (the dev stack logs lock waits past 200 ms, deadlocks, statements past
 * 250 ms and checkpoints): the first place to look when latency has a tail.
 */
public record PostgresLog(
        List<Path> files,
        long lockWaits,
        long deadlocks,
        long slowStatements,
        long checkpoints,
        Map<String, Long> waitingStatements) {

    private static final int STATEMENT_CHARS = 90;

    public static PostgresLog of(Path dataDirectory) throws IOException {
        Path logs = dataDirectory.resolve("log");
        List<String> lines = new ArrayList<>();
        List<Path> files = List.of();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> listed = Files.list(logs)) {
                files = listed.sorted().toList();
            }
            for (Path file : files) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        long lockWaits = 0;
        long deadlocks = 0;
        long slow = 0;
        long checkpoints = 0;
        Map<String, Long> waiting = new LinkedHashMap<>();
        boolean waitOpen = false;
        for (String line : lines) {
            if (line.contains("still waiting for")) {
                lockWaits++;
                waitOpen = true;
            } else if (line.contains("ERROR:  deadlock detected")) {
                deadlocks++;
            } else if (line.contains("LOG:  duration:")) {
                slow++;
            } else if (line.contains("LOG:  checkpoint complete")) {
                checkpoints++;
            } else if (waitOpen && line.contains("STATEMENT:")) {
                String statement =
                        line.substring(line.indexOf("STATEMENT:") + 10).trim();
                waiting.merge(
                        statement.length() > STATEMENT_CHARS
                                ? statement.substring(0, STATEMENT_CHARS) + "…"
                                : statement,
                        1L,
                        Long::sum);
                waitOpen = false;
            }
        }
        return new PostgresLog(files, lockWaits, deadlocks, slow, checkpoints, waiting);
    }

    /** Copies the log files into a directory that outlives the stack, which is returned. */
    public Path copyTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (Path file : files) {
            Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return directory;
    }
}
