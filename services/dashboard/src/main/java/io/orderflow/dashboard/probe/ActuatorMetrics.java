package io.orderflow.dashboard.probe;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service's meters as Spring Boot's metrics endpoint gives them, {@code GET /actuator/metrics/{name}?tag=k:v}: a
 * value there is already summed over every series the tags select, and {@code availableTags} lists the values each
 * other tag takes among them. A meter the service does not have is answered 404, and read here as none.
 */
record ActuatorMetrics(ActuatorMetrics.Get get, JsonMapper json, URI service) {

    /** A GET to the service, with the probe's timeout, sent without waiting for its answer. */
    interface Get {
        CompletableFuture<HttpResponse<String>> send(URI url);
    }

    /**
     * A counter's count or a gauge's value, over the series with these tags ({@code "name:value"}); 0 for a meter
     * the service does not have.
     */
    CompletableFuture<Double> total(String meter, String... tags) {
        return describe(meter, tags).thenApply(description -> {
            for (JsonNode sample : description.path("measurements")) {
                String statistic = sample.path("statistic").asString();
                if (statistic.equalsIgnoreCase("COUNT") || statistic.equalsIgnoreCase("VALUE")) {
                    return sample.path("value").asDouble();
                }
            }
            return 0.0;
        });
    }

    /** The values {@code tag} takes among the meter's series with these tags; none for a meter it does not have. */
    CompletableFuture<List<String>> tagValues(String meter, String tag, String... tags) {
        return describe(meter, tags).thenApply(description -> {
            List<String> values = new ArrayList<>();
            for (JsonNode available : description.path("availableTags")) {
                if (available.path("tag").asString().equals(tag)) {
                    available.path("values").forEach(value -> values.add(value.asString()));
                }
            }
            values.sort(null);
            return values;
        });
    }

    /**
     * The total of each value {@code tag} takes among the meter's series with these tags, by value: one request to
     * list the values, then one per value, sent together.
     */
    CompletableFuture<SortedMap<String, Double>> totalsBy(String meter, String tag, String... tags) {
        return tagValues(meter, tag, tags).thenCompose(values -> {
            Map<String, CompletableFuture<Double>> totals = new TreeMap<>();
            for (String value : values) {
                String[] selected = Arrays.copyOf(tags, tags.length + 1);
                selected[tags.length] = tag + ":" + value;
                totals.put(value, total(meter, selected));
            }
            return CompletableFuture.allOf(totals.values().toArray(CompletableFuture[]::new))
                    .thenApply(all -> {
                        SortedMap<String, Double> result = new TreeMap<>();
                        totals.forEach((value, total) -> result.put(value, total.join()));
                        return result;
                    });
        });
    }

    /** The endpoint's description of the meter; a missing node for one the service does not have. */
    private CompletableFuture<JsonNode> describe(String meter, String... tags) {
        String query = Stream.of(tags)
                .map(tag -> "tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return get.send(service.resolve("/actuator/metrics/" + meter + (query.isEmpty() ? "" : "?" + query)))
                .thenApply(answer -> answer.statusCode() == 200 ? json.readTree(answer.body()) : json.missingNode());
    }
}
