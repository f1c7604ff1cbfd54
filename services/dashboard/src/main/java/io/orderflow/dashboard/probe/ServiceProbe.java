package io.orderflow.dashboard.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one service: its health, its consumer lag ({@code /ops/lag}) and a few of its Prometheus metrics. Each call
 * has a short timeout, so a service that hangs is shown as unreachable within a refresh or two, not as a spinner.
 */
public final class ServiceProbe {

    static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Clock clock;

    public ServiceProbe(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    public ServiceReading read(String name, URI url) {
        try {
            HttpResponse<String> health = get(url.resolve("/actuator/health"));
            String status = json.readTree(health.body()).path("status").asString("UNKNOWN");
            PrometheusText metrics = PrometheusText.parse(get(url.resolve("/actuator/prometheus")).body());
            return new ServiceReading(name, url.toString(), clock.instant(), status, "", lag(url),
                    // The read side has no event consumers of the library: its stream threads' records instead.
                    metrics.sum("orderflow_consumer_handled_total") + metrics.sum("kafka_stream_thread_process_total"),
                    metrics.sum("orderflow_outbox_published_total"),
                    metrics.sum("orderflow_dlq_records_total"),
                    metrics.sum("orderflow_outbox_backlog"),
                    breakers(metrics), sagas(metrics));
        } catch (IOException | JacksonException e) {
            return ServiceReading.unreachable(name, url.toString(), clock.instant(), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServiceReading.unreachable(name, url.toString(), clock.instant(), "interrupted");
        }
    }

    /** The service's lag per group; empty for a service that serves no {@code /ops/lag}. */
    private List<ServiceReading.GroupLag> lag(URI url) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(url.resolve("/ops/lag"));
        List<ServiceReading.GroupLag> groups = new ArrayList<>();
        if (answer.statusCode() != 200) {
            return groups;
        }
        for (JsonNode group : json.readTree(answer.body()).path("groups")) {
            groups.add(new ServiceReading.GroupLag(group.path("group").asString(), group.path("records").asLong(),
                    group.path("secondsBehind").asDouble()));
        }
        return groups;
    }

    /** Resilience4j publishes one series per state, 1 for the current one. */
    private static Map<String, String> breakers(PrometheusText metrics) {
        Map<String, String> states = new TreeMap<>();
        for (PrometheusText.Sample sample : metrics.all("resilience4j_circuitbreaker_state")) {
            if (sample.value() >= 1) {
                states.put(sample.labels().getOrDefault("name", "?"),
                        sample.labels().getOrDefault("state", "?").toUpperCase());
            }
        }
        return states;
    }

    private static Map<String, Long> sagas(PrometheusText metrics) {
        Map<String, Long> sagas = new TreeMap<>();
        for (PrometheusText.Sample sample : metrics.all("orderflow_saga_orders")) {
            sagas.put(sample.labels().getOrDefault("status", "?"), (long) sample.value());
        }
        return sagas;
    }

    /** A JSON document from a service, or empty when it does not answer 200. */
    public Optional<JsonNode> json(URI url) {
        try {
            HttpResponse<String> answer = get(url);
            return answer.statusCode() == 200 ? Optional.of(json.readTree(answer.body())) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toMillis() + " ms";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
