package io.orderflow.dashboard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * The probe against a service whose {@code /actuator/metrics} is answered by Spring Boot's own metrics endpoint over
 * a registry holding the meters the services publish, so that what is read is what a service really serves.
 */
class ServiceProbeTest {

    private static final String TOKEN = "the-dashboards-token";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer service = serve(new MetricsEndpoint(meters), authorizations);
    private final ServiceProbe probe = new ServiceProbe(HttpClient.newHttpClient(), CLOCK, () -> TOKEN);

    @AfterEach
    void stop() {
        service.stop(0);
    }

    @Test
    void sumsEachMetricOverAllItsSeries() {
        Counter.builder("orderflow.consumer.handled")
                .tags("consumer", "payment-service", "topic", "inventory.events")
                .register(meters)
                .increment(1200);
        Counter.builder("orderflow.consumer.handled")
                .tags("consumer", "payment-service-orders", "topic", "orders.events")
                .register(meters)
                .increment(34);
        FunctionCounter.builder("kafka.stream.thread.process.total", this, probe -> 6)
                .tags("thread-id", "t-1")
                .register(meters);
        Counter.builder("orderflow.outbox.published").register(meters).increment(10);
        Counter.builder("orderflow.dlq.records")
                .tags("topic", "orders.events", "reason", "A")
                .register(meters)
                .increment(2);
        Counter.builder("orderflow.dlq.records")
                .tags("topic", "payments.events", "reason", "B")
                .register(meters)
                .increment();
        Gauge.builder("orderflow.outbox.backlog", () -> 7).register(meters);

        ServiceReading reading = read();

        assertThat(reading.status()).isEqualTo("UP");
        assertThat(reading.handled())
                .as("the library's consumers and the read side's stream threads")
                .isEqualTo(1240.0);
        assertThat(reading.published()).isEqualTo(10.0);
        assertThat(reading.deadLettered()).isEqualTo(3.0);
        assertThat(reading.outboxBacklog()).isEqualTo(7.0);
    }

    @Test
    void readsEachBreakersCurrentStateAndTheOrdersPerSagaStatus() {
        breaker("payment-provider", "open");
        breaker("another-provider", "closed");
        saga("PLACED", 3);
        saga("CONFIRMED", 5);
        saga("COMPENSATION_FAILED", 0);

        ServiceReading reading = read();

        assertThat(reading.breakers())
                .containsExactlyInAnyOrderEntriesOf(Map.of("payment-provider", "OPEN", "another-provider", "CLOSED"));
        assertThat(reading.sagas())
                .containsExactlyInAnyOrderEntriesOf(Map.of("PLACED", 3L, "CONFIRMED", 5L, "COMPENSATION_FAILED", 0L));
    }

    @Test
    void aServiceWithoutTheMetersReadsAsNoneOfThem() {
        ServiceReading reading = read();

        assertThat(reading.reachable()).isTrue();
        assertThat(List.of(reading.handled(), reading.published(), reading.deadLettered(), reading.outboxBacklog()))
                .containsOnly(0.0);
        assertThat(reading.breakers()).isEmpty();
        assertThat(reading.sagas()).isEmpty();
    }

    @Test
    void readsAServicesMetersTogetherNotOneAfterAnother() throws Exception {
        // Each meter is a request of its own: one after another, a service slow to answer would hold up the
        // refresh for the sum of their times. This service answers none of the first five until all five are asked.
        CountDownLatch fiveAsked = new CountDownLatch(5);
        HttpServer slow = serve(new MetricsEndpoint(meters), authorizations, exchange -> {
            fiveAsked.countDown();
            fiveAsked.await(2 * ServiceProbe.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        });
        try {
            Counter.builder("orderflow.outbox.published").register(meters).increment(10);

            ServiceReading reading = probe.read(
                    "a-service",
                    URI.create("http://127.0.0.1:" + slow.getAddress().getPort()));

            assertThat(reading.reachable()).as(reading.detail()).isTrue();
            assertThat(reading.published()).isEqualTo(10.0);
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void readsEveryEndpointWithTheDashboardsOwnToken() {
        read();

        assertThat(authorizations).isNotEmpty().containsOnly("Bearer " + TOKEN);
    }

    @Test
    void withoutATokenTheServiceIsUnauthorizedWithTheReasonAndNotAsked() {
        ServiceProbe probe = new ServiceProbe(HttpClient.newHttpClient(), CLOCK, () -> {
            throw new ServiceToken.UnavailableException("the issuer http://127.0.0.1:1 cannot be reached", null);
        });

        ServiceReading reading = probe.read(
                "a-service",
                URI.create("http://127.0.0.1:" + service.getAddress().getPort()));

        assertThat(reading.status()).isEqualTo(ServiceReading.UNAUTHORIZED);
        assertThat(reading.reachable()).isFalse();
        assertThat(reading.detail())
                .isEqualTo("no access token to read it with: the issuer http://127.0.0.1:1 cannot be reached");
        assertThat(authorizations).isEmpty();
    }

    @Test
    void aServiceThatRefusesTheTokenIsUnauthorizedWithItsReasonAndTheTokenIsDropped() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            answer(exchange, 401, "{\"title\":\"Not authenticated\",\"detail\":\"the token has expired\"}");
        });
        refusing.start();
        AtomicInteger refusals = new AtomicInteger();
        ServiceProbe probe = new ServiceProbe(HttpClient.newHttpClient(), CLOCK, countingRefusals(refusals));
        try {
            ServiceReading reading = probe.read(
                    "a-service",
                    URI.create("http://127.0.0.1:" + refusing.getAddress().getPort()));

            assertThat(reading.status()).isEqualTo(ServiceReading.UNAUTHORIZED);
            assertThat(reading.detail())
                    .startsWith("the service refused the dashboard's token: 401 /")
                    .endsWith("(the token has expired)");
            assertThat(refusals)
                    .as("the token is dropped, so that the next reading gets a new one")
                    .hasValue(1);
        } finally {
            refusing.stop(0);
        }
    }

    @Test
    void aServiceThatDoesNotLetTheDashboardInIsUnauthorizedAndTheTokenIsKept() throws Exception {
        HttpServer forbidding = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        forbidding.createContext("/", exchange -> answer(exchange, 403, "{\"detail\":\"operators only\"}"));
        forbidding.start();
        AtomicInteger refusals = new AtomicInteger();
        ServiceProbe probe = new ServiceProbe(HttpClient.newHttpClient(), CLOCK, countingRefusals(refusals));
        try {
            ServiceReading reading = probe.read(
                    "a-service",
                    URI.create("http://127.0.0.1:" + forbidding.getAddress().getPort()));

            assertThat(reading.status()).isEqualTo(ServiceReading.UNAUTHORIZED);
            assertThat(reading.detail())
                    .startsWith("the service refused the dashboard: 403 /")
                    .endsWith("(operators only)");
            assertThat(refusals).hasValue(0);
        } finally {
            forbidding.stop(0);
        }
    }

    @Test
    void aServiceThatIsNotThereIsUnreachableWithTheReason() {
        service.stop(0);

        ServiceReading reading = read();

        assertThat(reading.status()).isEqualTo(ServiceReading.UNREACHABLE);
        assertThat(reading.detail()).isEqualTo("connection refused");
    }

    private ServiceReading read() {
        return probe.read(
                "a-service",
                URI.create("http://127.0.0.1:" + service.getAddress().getPort()));
    }

    /** Resilience4j's series: one per state, 1 for the current one. */
    private void breaker(String name, String current) {
        for (String state : List.of("closed", "open", "half_open", "forced_open", "disabled", "metrics_only")) {
            Gauge.builder("resilience4j.circuitbreaker.state", () -> state.equals(current) ? 1 : 0)
                    .tags("name", name, "state", state)
                    .register(meters);
        }
    }

    private void saga(String status, int orders) {
        Gauge.builder("orderflow.saga.orders", () -> orders)
                .tags("status", status)
                .register(meters);
    }

    /** What the service does before it answers a metrics request. */
    private interface BeforeAnswer {
        void run(HttpExchange exchange) throws InterruptedException;
    }

    private static HttpServer serve(MetricsEndpoint endpoint, List<String> authorizations) {
        return serve(endpoint, authorizations, exchange -> {});
    }

    /**
     * Health UP, no lag endpoint, and each meter as the metrics endpoint describes it (404 for an unknown one); the
     * Authorization header of every request is kept in {@code authorizations}.
     */
    private static HttpServer serve(MetricsEndpoint endpoint, List<String> authorizations, BeforeAnswer beforeMetrics) {
        JsonMapper json = JsonMapper.builder().build();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            // A thread per request, as a servlet container serves them: requests sent together are served together.
            server.setExecutor(Executors.newCachedThreadPool());
            Filter recordAuthorization = Filter.beforeHandler("records the Authorization header", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(authorization == null ? "(none)" : authorization);
            });
            server.createContext("/actuator/health", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"))
                    .getFilters()
                    .add(recordAuthorization);
            server.createContext("/actuator/metrics/", exchange -> {
                        try {
                            beforeMetrics.run(exchange);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        String name = exchange.getRequestURI().getPath().substring("/actuator/metrics/".length());
                        var descriptor = endpoint.metric(
                                name, tags(exchange.getRequestURI().getRawQuery()));
                        answer(
                                exchange,
                                descriptor == null ? 404 : 200,
                                descriptor == null ? "" : json.writeValueAsString(descriptor));
                    })
                    .getFilters()
                    .add(recordAuthorization);
            server.createContext("/", exchange -> answer(exchange, 404, ""))
                    .getFilters()
                    .add(recordAuthorization);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tags(String rawQuery) {
        List<String> tags = new ArrayList<>();
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&")) {
                if (parameter.startsWith("tag=")) {
                    tags.add(URLDecoder.decode(parameter.substring(4), StandardCharsets.UTF_8));
                }
            }
        }
        return tags.isEmpty() ? null : tags;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The token {@value #TOKEN}, counting how often a service refused it. */
    private static ServiceToken countingRefusals(AtomicInteger refusals) {
        return new ServiceToken() {
            @Override
            public String current() {
                return TOKEN;
            }

            @Override
            public void refused() {
                refusals.incrementAndGet();
            }
        };
    }
}
