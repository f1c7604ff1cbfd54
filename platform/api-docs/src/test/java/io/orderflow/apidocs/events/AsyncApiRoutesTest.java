package io.orderflow.apidocs.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.orderflow.contracts.Topics;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The open endpoint asks the registry at most once per cache period and once per failure, never keeps a caller
 * waiting on it for long, and never shows its credentials or answers.
 */
class AsyncApiRoutesTest {

    enum Registry {
        EMPTY,
        FAILING,
        HANGING
    }

    final AtomicInteger asked = new AtomicInteger();
    final CountDownLatch answerHangingCalls = new CountDownLatch(1);
    volatile Registry behaviour = Registry.EMPTY;
    /** A registry that holds no subject, fails or hangs, as told, and counts what it is asked. */
    final HttpServer registry = registry();

    volatile Instant now = Instant.parse("2026-11-30T10:00:00Z");

    @AfterEach
    void stopRegistry() {
        answerHangingCalls.countDown();
        registry.stop(0);
    }

    @Test
    void theDocumentIsBuiltAgainOnlyOnceItIsOlderThanTheCachePeriod() {
        AsyncApiRoutes routes = routes("127.0.0.1:9092");

        String first = routes.answer().document();
        int asksPerBuild = asked.get();
        now = now.plusSeconds(29);
        String second = routes.answer().document();

        assertThat(first).contains("\"asyncapi\"");
        assertThat(asksPerBuild).isPositive();
        assertThat(second).isSameAs(first);
        assertThat(asked.get()).isEqualTo(asksPerBuild);

        now = now.plusSeconds(2);
        routes.answer();

        assertThat(asked.get()).isEqualTo(2 * asksPerBuild);
    }

    @Test
    void callersOfAHangingRegistryWaitNoLongerThanTheBoundAndStartNoBuildOfTheirOwn() throws Exception {
        behaviour = Registry.HANGING;
        AsyncApiRoutes routes = routes("127.0.0.1:9092", Duration.ofMillis(100));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<AsyncApiRoutes.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(callers.submit(routes::answer));
            }
            for (Future<AsyncApiRoutes.Answer> answer : answers) {
                // Each caller gives up after 100 ms; the registry hangs on until the test lets it answer.
                assertThat(answer.get(30, TimeUnit.SECONDS).problem()).contains("try again later");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() >= 1);
            assertThat(asked.get()).as("one build, stuck on its first call").isEqualTo(1);

            behaviour = Registry.EMPTY;
            answerHangingCalls.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> routes.answer().document() != null);
            assertThat(routes.isBuilding()).isFalse();
            assertThat(asked.get())
                    .as("the one build's calls, a subject each: no caller's build queued behind it")
                    .isEqualTo(Topics.ORDERS.eventTypes().names().size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void whileTheRegistryFailsTheLastDocumentIsServedAndTheRegistryIsNotAskedForEveryCaller() {
        AsyncApiRoutes routes = routes("127.0.0.1:9092");
        String good = routes.answer().document();
        behaviour = Registry.FAILING;
        now = now.plusSeconds(31);
        int before = asked.get();

        AsyncApiRoutes.Answer first = routes.answer();
        await().atMost(Duration.ofSeconds(30)).until(() -> !routes.isBuilding());
        for (int i = 0; i < 5; i++) {
            assertThat(routes.answer().document()).isSameAs(good);
        }

        assertThat(first.document()).isSameAs(good);
        assertThat(asked.get() - before)
                .as("one call of one build, and none while its failure is fresh")
                .isEqualTo(1);

        now = now.plus(AsyncApiRoutes.FAILURE_KEPT).plusSeconds(1);
        routes.answer();
        await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() - before == 2);
    }

    @Test
    void aClockSetBackDoesNotKeepADocumentOrAFailureLongerThanItsPeriod() {
        AsyncApiRoutes routes = routes("127.0.0.1:9092");
        routes.answer();
        int asksPerBuild = asked.get();

        now = now.minus(Duration.ofHours(1));
        routes.answer();

        assertThat(asked.get()).as("built again").isEqualTo(2 * asksPerBuild);

        behaviour = Registry.FAILING;
        now = now.plusSeconds(31);
        routes.answer();
        await().atMost(Duration.ofSeconds(30)).until(() -> !routes.isBuilding());
        int afterTheFailure = asked.get();
        now = now.minus(Duration.ofHours(1));
        routes.answer();

        assertThat(asked.get()).as("tried again").isEqualTo(afterTheFailure + 1);
    }

    @Test
    void aClosedServiceAnswersWithoutBuilding() {
        AsyncApiRoutes routes = routes("127.0.0.1:9092");
        routes.close();

        AsyncApiRoutes.Answer answer = routes.answer();

        assertThat(answer.problem()).contains("try again later");
        assertThat(routes.isBuilding()).isFalse();
        assertThat(asked.get()).isZero();
    }

    @Test
    void withoutAnyDocumentYetAFailingRegistryIsA503ThatKeepsTheRegistrysWordsToItself() {
        behaviour = Registry.FAILING;

        AsyncApiRoutes.Answer answer = routes("127.0.0.1:9092").answer();

        assertThat(answer.document()).isNull();
        assertThat(answer.problem())
                .isEqualTo("the schema registry has not told which schema versions exist yet; try again later")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void bootstrapServersGivenAsAListAreAllNamed() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.application.name", "order-service")
                .withProperty("spring.kafka.bootstrap-servers[0]", "broker-1:9093")
                .withProperty("spring.kafka.bootstrap-servers[1]", "broker-2:9093")
                .withProperty("spring.kafka.properties.security.protocol", "SASL_SSL");

        var servers = JsonMapper.builder()
                .build()
                .readTree(routes(environment, Duration.ofSeconds(30)).answer().document())
                .path("servers")
                .path("kafka");

        assertThat(servers.path("host").asString()).isEqualTo("broker-1:9093");
        assertThat(servers.path("protocol").asString()).isEqualTo("kafka-secure");
        assertThat(servers.path("description").asString()).contains("broker-1:9093, broker-2:9093");
    }

    @Test
    void aUserAndPasswordInTheRegistrysUrlStayOutOfTheDocument() {
        assertThat(AsyncApiRoutes.withoutUserInfo("https://svc:s3cret@registry.internal:8081/base"))
                .isEqualTo("https://registry.internal:8081/base");
        assertThat(AsyncApiRoutes.withoutUserInfo("http://127.0.0.1:8081")).isEqualTo("http://127.0.0.1:8081");
    }

    /** Callers wait for a build as long as it takes: the first one in a test JVM loads an HTTP client and more. */
    private AsyncApiRoutes routes(String bootstrapServers) {
        return routes(bootstrapServers, Duration.ofSeconds(30));
    }

    private AsyncApiRoutes routes(String bootstrapServers, Duration wait) {
        return routes(
                new MockEnvironment()
                        .withProperty("spring.application.name", "order-service")
                        .withProperty("spring.kafka.bootstrap-servers", bootstrapServers),
                wait);
    }

    private AsyncApiRoutes routes(MockEnvironment environment, Duration wait) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("written", Topics.ORDERS);
        beans.registerSingleton(
                "serdes",
                new EventSerdes(
                        new SchemaRegistryClient(
                                "http://127.0.0.1:" + registry.getAddress().getPort(), Duration.ofSeconds(60)),
                        false));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new AsyncApiRoutes(
                environment,
                beans.getBeanProvider(Topic.class),
                beans.getBeanProvider(EventConsumer.class),
                beans.getBeanProvider(Subscription.class),
                beans.getBeanProvider(EventSerdes.class),
                clock,
                Duration.ofSeconds(30),
                wait);
    }

    private HttpServer registry() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                asked.incrementAndGet();
                Registry mode = behaviour;
                if (mode == Registry.HANGING) {
                    try {
                        answerHangingCalls.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                boolean failing = mode == Registry.FAILING;
                byte[] body = (failing
                                ? "{\"error_code\":50001,\"message\":\"secret internals of the registry\"}"
                                : "{\"error_code\":40401,\"message\":\"Subject not found\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(failing ? 500 : 404, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
