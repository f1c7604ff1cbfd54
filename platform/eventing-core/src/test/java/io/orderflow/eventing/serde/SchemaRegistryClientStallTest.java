package io.orderflow.eventing.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry (or a proxy before it) that sends its headers and then stalls must not hold the caller: a consumer
 * fetching a writer's schema, a start-up check, a document being built. The client's timeout covers the whole answer.
 */
class SchemaRegistryClientStallTest {

    final CountDownLatch release = new CountDownLatch(1);
    final HttpServer registry = stallingRegistry();

    @AfterEach
    void stop() {
        release.countDown();
        registry.stop(0);
    }

    @Test
    void anAnswerWhoseBodyStallsIsUnavailableAfterTheTimeoutNotAWaitWithoutEnd() {
        SchemaRegistryClient client = new SchemaRegistryClient(
                "http://127.0.0.1:" + registry.getAddress().getPort(), Duration.ofMillis(500));

        // The bound only keeps a broken client from hanging the build; the client's own timeout is 500 ms.
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThatThrownBy(() -> client.schemaById(1))
                        .isInstanceOf(SchemaRegistryUnavailableException.class)
                        .hasMessageContaining("did not answer within"));
    }

    private HttpServer stallingRegistry() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                body.write("{\"schema\":".getBytes(StandardCharsets.UTF_8));
                body.flush();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
