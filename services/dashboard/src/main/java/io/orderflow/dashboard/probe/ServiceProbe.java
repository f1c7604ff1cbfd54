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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one service: its health, its consumer lag ({@code /ops/lag}) and a few of its meters
 * ({@code /actuator/metrics}). Each call has a short timeout, so a service that hangs is shown as unreachable within
 * a refresh or two, not as a spinner.
 *
 * <p>Every request carries the dashboard's own access token ({@link ServiceToken}): lag and meters are for operators
 * only. Without a token, or when a service refuses it, the service is shown as {@code UNAUTHORIZED} with the reason.
 */
public final class ServiceProbe {

    static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final String BREAKER_STATE = "resilience4j.circuitbreaker.state";
    private static final String SAGA_ORDERS = "orderflow.saga.orders";

    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Clock clock;
    private final ServiceToken token;

    public ServiceProbe(HttpClient http, Clock clock, ServiceToken token) {
        this.http = http;
        this.clock = clock;
        this.token = token;
    }

    /**
     * One reading of the service. Its requests (a meter each) are in flight together, so a slow service holds the
     * refresh up for about one request's time per step (health and meters, then the tags they list), not their sum.
     */
    public ServiceReading read(String name, URI url) {
        String bearer;
        try {
            bearer = token.current();
        } catch (ServiceToken.UnavailableException e) {
            return ServiceReading.unauthorized(
                    name, url.toString(), clock.instant(), "no access token to read it with: " + e.getMessage());
        }
        ActuatorMetrics metrics = new ActuatorMetrics(service -> send(service, bearer), json, url);
        CompletableFuture<String> status = send(url.resolve("/actuator/health"), bearer)
                .thenApply(health -> json.readTree(health.body()).path("status").asString("UNKNOWN"));
        CompletableFuture<List<ServiceReading.GroupLag>> lag =
                send(url.resolve("/ops/lag"), bearer).thenApply(this::lag);
        // The read side has no event consumers of the library: its stream threads' records instead.
        CompletableFuture<Double> handled = metrics.total("orderflow.consumer.handled")
                .thenCombine(metrics.total("kafka.stream.thread.process.total"), Double::sum);
        CompletableFuture<Double> published = metrics.total("orderflow.outbox.published");
        CompletableFuture<Double> deadLettered = metrics.total("orderflow.dlq.records");
        CompletableFuture<Double> backlog = metrics.total("orderflow.outbox.backlog");
        CompletableFuture<Map<String, String>> breakers = breakers(metrics);
        CompletableFuture<Map<String, Long>> sagas = sagas(metrics);
        try {
            allOf(List.of(status, lag, handled, published, deadLettered, backlog, breakers, sagas))
                    .join();
            return new ServiceReading(
                    name,
                    url.toString(),
                    clock.instant(),
                    status.join(),
                    "",
                    lag.join(),
                    handled.join(),
                    published.join(),
                    deadLettered.join(),
                    backlog.join(),
                    breakers.join(),
                    sagas.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RefusedException refused) {
                if (refused.status() == 401) {
                    token.refused();
                }
                return ServiceReading.unauthorized(name, url.toString(), clock.instant(), refused.getMessage());
            }
            return ServiceReading.unreachable(name, url.toString(), clock.instant(), describe(cause));
        }
    }

    /** The service's lag per group; empty for a service that serves no {@code /ops/lag}. */
    private List<ServiceReading.GroupLag> lag(HttpResponse<String> answer) {
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
    private static CompletableFuture<Map<String, String>> breakers(ActuatorMetrics metrics) {
        return metrics.tagValues(BREAKER_STATE, "name").thenCompose(names -> {
            Map<String, CompletableFuture<Optional<String>>> states = new TreeMap<>();
            names.forEach(breaker -> states.put(breaker, currentState(metrics, breaker)));
            return allOf(states.values()).thenApply(all -> {
                Map<String, String> current = new TreeMap<>();
                states.forEach((breaker, state) ->
                        state.join().ifPresent(value -> current.put(breaker, value.toUpperCase(Locale.ROOT))));
                return current;
            });
        });
    }

    private static CompletableFuture<Optional<String>> currentState(ActuatorMetrics metrics, String breaker) {
        return metrics.totalsBy(BREAKER_STATE, "state", "name:" + breaker)
                .thenApply(states -> states.entrySet().stream()
                        .filter(state -> state.getValue() >= 1)
                        .map(Map.Entry::getKey)
                        .findFirst());
    }

    private static CompletableFuture<Map<String, Long>> sagas(ActuatorMetrics metrics) {
        return metrics.totalsBy(SAGA_ORDERS, "status").thenApply(counts -> {
            Map<String, Long> sagas = new TreeMap<>();
            counts.forEach((status, count) -> sagas.put(status, count.longValue()));
            return sagas;
        });
    }

    private static CompletableFuture<Void> allOf(Collection<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** A JSON document from a service, read with the dashboard's token; empty when it does not answer 200. */
    public Optional<JsonNode> json(URI url) {
        try {
            HttpResponse<String> answer =
                    http.send(request(url, token.current()), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 401) {
                token.refused();
            }
            return answer.statusCode() == 200 ? Optional.of(json.readTree(answer.body())) : Optional.empty();
        } catch (IOException | JacksonException | ServiceToken.UnavailableException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A GET with the token, sent without waiting; a 401 or 403 completes it with a {@link RefusedException}. */
    private CompletableFuture<HttpResponse<String>> send(URI url, String bearer) {
        return http.sendAsync(request(url, bearer), HttpResponse.BodyHandlers.ofString())
                .thenApply(this::admitted);
    }

    private HttpResponse<String> admitted(HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status != 401 && status != 403) {
            return answer;
        }
        String why = problemDetail(answer)
                .or(() -> answer.headers().firstValue("WWW-Authenticate"))
                .orElse("");
        throw new RefusedException(
                status,
                (status == 401 ? "the service refused the dashboard's token: " : "the service refused the dashboard: ")
                        + status
                        + " "
                        + answer.request().uri().getPath()
                        + (why.isEmpty() ? "" : " (" + why + ")"));
    }

    private Optional<String> problemDetail(HttpResponse<String> answer) {
        try {
            String detail = json.readTree(answer.body()).path("detail").asString("");
            return detail.isEmpty() ? Optional.empty() : Optional.of(detail);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static HttpRequest request(URI url, String bearer) {
        return HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer)
                .GET()
                .build();
    }

    /** A service answered 401 (the token is not good) or 403 (it does not let the dashboard's role in). */
    private static final class RefusedException extends RuntimeException {

        private final int status;

        RefusedException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private static String describe(Throwable e) {
        return describe(e, TIMEOUT);
    }

    /** Why a request to a service failed, in a few words: the JDK's client leaves some of its exceptions unsaid. */
    static String describe(Throwable e, Duration timeout) {
        String message = e.getMessage();
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
