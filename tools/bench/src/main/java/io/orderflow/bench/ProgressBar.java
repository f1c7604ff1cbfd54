package io.orderflow.bench;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line for long runs: redrawn in place on a terminal, printed every few seconds otherwise (CI logs).
 * Runs a sampler every few seconds too, for figures taken during the run (memory).
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long SAMPLE_EVERY_NANOS = 5_000_000_000L;

    private final Thread thread;

    private volatile boolean running = true;

    public ProgressBar(String label, long total, LongSupplier placed, LongSupplier settled, Runnable sampler) {
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        thread = new Thread(
                () -> {
                    long lastPrinted = 0;
                    long lastSampled = 0;
                    while (running) {
                        long now = System.nanoTime();
                        // Reading every process's memory map costs the kernel ~60 ms for the whole stack: every few
                        // seconds is enough for a peak, every tick would take a tenth of a core from what is measured.
                        if (lastSampled == 0 || now - lastSampled > SAMPLE_EVERY_NANOS) {
                            sampler.run();
                            lastSampled = now;
                        }
                        if (terminal || now - lastPrinted > 5_000_000_000L) {
                            print(
                                    label,
                                    total,
                                    placed.getAsLong(),
                                    settled.getAsLong(),
                                    (now - started) / 1e9,
                                    terminal);
                            lastPrinted = now;
                        }
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (terminal) {
                        System.out.println();
                    }
                },
                "bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private static void print(String label, long total, long placed, long settled, double seconds, boolean terminal) {
        int filled = (int) Math.min(WIDTH, WIDTH * settled / Math.max(1, total));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String text = String.format(
                Locale.ROOT,
                "  %-10s [%s] placed %,d / %,d  settled %,d  %,.0f orders/s",
                label,
                bar,
                placed,
                total,
                settled,
                settled / Math.max(0.001, seconds));
        if (terminal) {
            System.out.print("\r" + text);
        } else {
            System.out.println(text);
        }
        System.out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2_000);
    }
}
