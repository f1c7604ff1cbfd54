package io.orderflow.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run as a picture: orders settled per second over time, the machine's CPU beside it, and each fault as a band
 * from when it struck to when what it broke was back, in one self-contained HTML page (an inline SVG, no script).
 */
final class ChaosPlot {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 420;
    private static final int LANE = 9;
    private static final Map<FaultKind, String> COLOURS = Map.of(
            FaultKind.SERVICE_KILL, "#d62728",
            FaultKind.SERVICE_KILL_IN_TRANSACTION, "#8c0000",
            FaultKind.SERVICE_PAUSE, "#9467bd",
            FaultKind.BROKER_KILL, "#ff7f0e",
            FaultKind.DATABASE_CRASH, "#1f77b4",
            FaultKind.DATABASE_RESTART, "#17becf",
            FaultKind.PROVIDER_OUTAGE, "#2ca02c",
            FaultKind.PROVIDER_SLOW, "#98df8a",
            FaultKind.PROVIDER_ERRORS, "#bcbd22",
            FaultKind.REGISTRY_RESTART, "#7f7f7f");

    private ChaosPlot() {}

    static void write(Path file, long seed, List<ChaosReport.Second> seconds, List<InjectedFault> faults)
            throws IOException {
        long lastSecond = Math.max(
                1, seconds.stream().mapToLong(ChaosReport.Second::second).max().orElse(1));
        int peak = Math.max(
                1, seconds.stream().mapToInt(ChaosReport.Second::settled).max().orElse(1));
        int lanes = FaultKind.values().length;
        int chartTop = lanes * LANE + 20;
        int chartHeight = HEIGHT - chartTop - 30;
        double xScale = (WIDTH - 60) / (double) lastSecond;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>",
                WIDTH,
                HEIGHT));
        for (InjectedFault fault : faults) {
            double from = 50 + fault.startMs() / 1000.0 * xScale;
            double to = 50 + (fault.healed() ? fault.healedMs() : lastSecond * 1000) / 1000.0 * xScale;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.7'><title>%s %s: %s</title></rect>",
                    from,
                    10 + fault.kind().ordinal() * LANE,
                    Math.max(1.5, to - from),
                    LANE - 2,
                    COLOURS.get(fault.kind()),
                    escape(fault.kind().label()),
                    escape(fault.target()),
                    escape(fault.detail())));
        }
        svg.append(polyline(seconds, xScale, chartTop, chartHeight, peak, true, "#1f3b73"));
        svg.append(polyline(seconds, xScale, chartTop, chartHeight, 100, false, "#bbbbbb"));
        svg.append(String.format(
                Locale.ROOT,
                "<text x='50' y='%d'>orders settled per second (blue, peak %d), CPU of the machine (grey, 0-100 %%),"
                        + " over %d s; fault bands above, one lane per kind (hover for details)</text>",
                HEIGHT - 8,
                peak,
                lastSecond));
        svg.append("</svg>");
        StringBuilder legend = new StringBuilder();
        for (FaultKind kind : FaultKind.values()) {
            legend.append(String.format(
                    "<span style='color:%s'>&#9632; %s</span> &nbsp; ", COLOURS.get(kind), escape(kind.label())));
        }
        Files.writeString(
                file,
                "<!doctype html><html><head><meta charset='utf-8'><title>Chaos run, seed " + seed
                        + "</title></head><body style='font-family:sans-serif'><h2>Chaos run, seed " + seed + "</h2><p>"
                        + legend + "</p>" + svg + "</body></html>");
    }

    private static String polyline(
            List<ChaosReport.Second> seconds,
            double xScale,
            int top,
            int height,
            int max,
            boolean settled,
            String colour) {
        StringBuilder points = new StringBuilder();
        for (ChaosReport.Second second : seconds) {
            int value = settled ? second.settled() : Math.max(0, second.cpuPercent());
            points.append(String.format(
                    Locale.ROOT,
                    "%.1f,%.1f ",
                    50 + second.second() * xScale,
                    top + height - height * Math.min(1.0, value / (double) max)));
        }
        return "<polyline fill='none' stroke='" + colour + "' stroke-width='1.5' points='" + points + "'/>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;");
    }
}
