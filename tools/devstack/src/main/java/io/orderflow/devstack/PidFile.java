package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process ids written next to the data a process owns. A launcher that was killed leaves its children running and
 * holding their data and ports; the next start finds them here and stops them first.
 */
public final class PidFile {

    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private PidFile() {}

    public static void write(Path file, long pid) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pid + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Stops the process named by the file's first line if it still runs and its command line contains
     * {@code commandMark} (a recycled pid may belong to anything): SIGTERM, then SIGKILL after 30 s.
     */
    public static void stopLeftover(Path file, String what, String commandMark) {
        stopLeftover(file, what, commandMark, false);
    }

    /**
     * Stops a PostgreSQL server left running: SIGINT, its fast shutdown, which does not wait for the clients of a
     * dead launcher to disconnect as SIGTERM's smart shutdown would.
     */
    public static void stopLeftoverPostgres(Path file) {
        stopLeftover(file, "a PostgreSQL server", "postgres", true);
    }

    private static void stopLeftover(Path file, String what, String commandMark, boolean interrupt) {
        if (!Files.exists(file)) {
            return;
        }
        long pid;
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                return;
            }
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").contains(commandMark))
                .ifPresent(process -> stop(process, what, interrupt));
    }

    private static void stop(ProcessHandle process, String what, boolean interrupt) {
        log.warn("Stopping {} (pid {}) left running by an earlier start", what, process.pid());
        if (interrupt) {
            interrupt(process.pid());
        } else {
            process.destroy();
        }
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static void interrupt(long pid) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal process " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
