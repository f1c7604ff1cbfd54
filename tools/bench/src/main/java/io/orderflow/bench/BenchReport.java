package io.orderflow.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Printing of measured figures. */
public final class BenchReport {

    private BenchReport() {}

    public static void title(String text) {
        System.out.println();
        System.out.println(text);
        System.out.println("-".repeat(text.length()));
    }

    public static void line(String label, String value) {
        System.out.printf(Locale.ROOT, "  %-44s %s%n", label, value);
    }

    /** Prints a consistency check as OK or FAILED with what differs; returns whether it held. */
    public static boolean check(String what, boolean holds, String detail) {
        line(what, holds ? "OK" : "FAILED: " + detail);
        return holds;
    }

    static String rate(long events, long nanos) {
        return String.format(Locale.ROOT, "%,.0f events/s", events / (nanos / 1e9));
    }

    static double perSecond(long events, long nanos) {
        return events / (nanos / 1e9);
    }

    public static String millis(Histogram histogram) {
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms   (n=%d)",
                ms(histogram.getValueAtPercentile(50)),
                ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)),
                ms(histogram.getMaxValue()),
                histogram.getTotalCount());
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
