package io.orderflow.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How busy the machine's cores were since the last look, from {@code /proc/stat}: a run's load at a glance. */
final class MachineCpu {

    private long lastTotal;
    private long lastIdle;

    /** The share of all cores busy since the previous call (0 to 100); -1 where /proc/stat cannot be read. */
    synchronized int busyPercent() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            // idle + iowait
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long busy = (total - lastTotal) - (idle - lastIdle);
            int percent = total == lastTotal ? 0 : (int) (100 * busy / (total - lastTotal));
            lastTotal = total;
            lastIdle = idle;
            return percent;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
