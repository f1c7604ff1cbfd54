package io.orderflow.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * What the view service itself says about a phase, from its actuator: how long after reaching Kafka its processor
 * reads events, how long its commits take, and its garbage collector's pauses. A freshness figure is read against
 * them: what they do not account for is time spent outside the view's own work.
 */
public final class ViewDiagnostics {

    /** GETs a path of the view service as JSON, failing on any answer but 200. */
    interface JsonGet {
        JsonNode get(String path) throws IOException, InterruptedException;
    }

    private final JsonGet view;

    ViewDiagnostics(JsonGet view) {
        this.view = view;
    }

    /** Pauses so far: how many, and their sum in milliseconds. */
    public record Pauses(long count, double totalMillis) {

        public Pauses since(Pauses before) {
            return new Pauses(count - before.count, totalMillis - before.totalMillis);
        }
    }

    public Pauses pauses() throws IOException, InterruptedException {
        JsonNode gc = metric("jvm.gc.pause");
        return new Pauses((long) statistic(gc, "COUNT"), statistic(gc, "TOTAL_TIME") * 1000);
    }

    /** The longest pause of the last minutes (Micrometer's decaying maximum), in milliseconds. */
    double longestRecentPause() throws IOException, InterruptedException {
        return statistic(metric("jvm.gc.pause"), "MAX") * 1000;
    }

    /**
     * Commit latency of each stream thread over Kafka Streams' recent sample windows: the mean of the threads'
     * averages and the largest of their maxima, in milliseconds.
     */
    double[] commitLatency() throws IOException, InterruptedException {
        return acrossTags("kafka.stream.thread.commit.latency", "thread.id", null);
    }

    /**
     * How long after reaching Kafka the events are read by the view's processor (Kafka Streams' end-to-end latency
     * at the source node, per task): the mean of the tasks' averages and the largest maximum, in milliseconds.
     */
    double[] eventsReadAfter() throws IOException, InterruptedException {
        return acrossTags("kafka.stream.processor.node.record.e2e.latency", "task.id", "processor.node.id:events");
    }

    private double[] acrossTags(String metric, String tagName, String filter) throws IOException, InterruptedException {
        double averages = 0;
        double max = 0;
        int counted = 0;
        for (JsonNode tag : metric(metric + ".avg", filter).path("availableTags")) {
            if (!tag.path("tag").asString().equals(tagName)) {
                continue;
            }
            for (JsonNode value : tag.path("values")) {
                String[] tags = filter == null
                        ? new String[] {tagName + ":" + value.asString()}
                        : new String[] {filter, tagName + ":" + value.asString()};
                double average = statistic(metric(metric + ".avg", tags), "VALUE");
                if (Double.isNaN(average)) {
                    continue;
                }
                averages += average;
                max = Math.max(max, statistic(metric(metric + ".max", tags), "VALUE"));
                counted++;
            }
        }
        return new double[] {counted == 0 ? Double.NaN : averages / counted, max};
    }

    public String describe(Pauses during) throws IOException, InterruptedException {
        double[] commits = commitLatency();
        double[] read = eventsReadAfter();
        return String.format(
                Locale.ROOT,
                "events read %.0f ms after reaching Kafka (max %.0f);"
                        + " commits take %.0f ms (max %.0f); GC %d pauses, %,.0f ms in all, longest recent %,.0f ms",
                read[0],
                read[1],
                commits[0],
                commits[1],
                during.count(),
                during.totalMillis(),
                longestRecentPause());
    }

    private JsonNode metric(String name, String... tags) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        for (String tag : tags) {
            if (tag != null) {
                query.append(query.length() == 0 ? '?' : '&')
                        .append("tag=")
                        .append(URLEncoder.encode(tag, StandardCharsets.UTF_8));
            }
        }
        return view.get("/actuator/metrics/" + name + query);
    }

    private static double statistic(JsonNode metric, String statistic) {
        for (JsonNode measurement : metric.path("measurements")) {
            if (measurement.path("statistic").asString().equals(statistic)) {
                return measurement.path("value").asDouble();
            }
        }
        return Double.NaN;
    }
}
