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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one service: its health, its consumer lag ({@code /ops/lag}) and a few of its meters
 * ({@code /actuator/metrics}). Each call has a short timeout, so a service that hangs is shown as unreachable within
 * a refresh or two, not as a spinner.
 */
public final class ServiceProbe {

    static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final String BREAKER_STATE = "resilience4j.circuitbreaker.state";
    private static final String SAGA_ORDERS = "orderflow.saga.orders";

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
            ActuatorMetrics metrics = new ActuatorMetrics(this::get, json, url);
            return new ServiceReading(
                    name,
                    url.toString(),
                    clock.instant(),
                    status,
                    "",
                    lag(url),
                    // The read side has no event consumers of the library: its stream threads' records instead.
                    metrics.total("orderflow.consumer.handled") + metrics.total("kafka.stream.thread.process.total"),
                    metrics.total("orderflow.outbox.published"),
                    metrics.total("orderflow.dlq.records"),
                    metrics.total("orderflow.outbox.backlog"),
                    breakers(metrics),
                    sagas(metrics));
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
            groups.add(new ServiceReading.GroupLag(
                    group.path("group").asString(),
                    group.path("records").asLong(),
                    group.path("secondsBehind").asDouble()));
        }
        return groups;
    }

    /** Resilience4j publishes one series per breaker and state, 1 for the breaker's current state. */
    private static Map<String, String> breakers(ActuatorMetrics metrics) throws IOException, InterruptedException {
        Map<String, String> states = new TreeMap<>();
        for (String breaker : metrics.tagValues(BREAKER_STATE, "name")) {
            for (String state : metrics.tagValues(BREAKER_STATE, "state", "name:" + breaker)) {
                if (metrics.total(BREAKER_STATE, "name:" + breaker, "state:" + state) >= 1) {
                    states.put(breaker, state.toUpperCase(Locale.ROOT));
                    break;
                }
            }
        }
        return states;
    }

    private static Map<String, Long> sagas(ActuatorMetrics metrics) throws IOException, InterruptedException {
        Map<String, Long> sagas = new TreeMap<>();
        for (String status : metrics.tagValues(SAGA_ORDERS, "status")) {
            sagas.put(status, (long) metrics.total(SAGA_ORDERS, "status:" + status));
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
        return http.send(
                HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
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
