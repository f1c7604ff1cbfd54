package io.orderflow.apidocs.events;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

/** The open endpoint asks the registry at most once per cache period, and never shows its credentials. */
class AsyncApiRoutesTest {

    /** A registry that holds no subject, and counts what it is asked. */
    final HttpServer registry = emptyRegistry();

    final AtomicInteger asked = new AtomicInteger();
    Instant now = Instant.parse("2026-11-30T10:00:00Z");

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    @Test
    void theDocumentIsBuiltAgainOnlyOnceItIsOlderThanTheCachePeriod() {
        AsyncApiRoutes routes = routes("127.0.0.1:9092");

        String first = routes.current();
        int asksPerBuild = asked.get();
        now = now.plusSeconds(29);
        String second = routes.current();

        assertThat(asksPerBuild).isPositive();
        assertThat(second).isSameAs(first);
        assertThat(asked.get()).isEqualTo(asksPerBuild);

        now = now.plusSeconds(2);
        routes.current();

        assertThat(asked.get()).isEqualTo(2 * asksPerBuild);
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
                .readTree(routes(environment).current())
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

    private AsyncApiRoutes routes(String bootstrapServers) {
        return routes(new MockEnvironment()
                .withProperty("spring.application.name", "order-service")
                .withProperty("spring.kafka.bootstrap-servers", bootstrapServers));
    }

    private AsyncApiRoutes routes(MockEnvironment environment) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("written", Topics.ORDERS);
        beans.registerSingleton(
                "serdes",
                new EventSerdes(
                        new SchemaRegistryClient(
                                "http://127.0.0.1:" + registry.getAddress().getPort(), Duration.ofSeconds(5)),
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
                Duration.ofSeconds(30));
    }

    private HttpServer emptyRegistry() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                asked.incrementAndGet();
                byte[] body =
                        "{\"error_code\":40401,\"message\":\"Subject not found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(404, body.length);
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
