package io.orderflow.dashboard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.orderflow.dashboard.probe.EventDocuments.ServiceDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every service's document is read, or the service named with why not, however it answers. */
class EventDocumentsTest {

    /** Counted down once the stalling service finds its connection closed by the dashboard. */
    final CountDownLatch cutOff = new CountDownLatch(1);
    /** A service each, at the root as the services serve it. */
    final Map<String, HttpServer> services = services();
    /** Long enough for a cold client on a busy machine: these services answer at once, or never. */
    final EventDocuments documents = new EventDocuments(HttpClient.newBuilder().build(), Duration.ofSeconds(30));

    @AfterEach
    void stop() {
        documents.close();
        services.values().forEach(service -> service.stop(0));
    }

    @Test
    void eachServiceIsReadOrNamedWithWhyNot() {
        Map<String, URI> named = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (!name.equals("stalling")) {
                named.put(
                        name,
                        URI.create("http://127.0.0.1:" + service.getAddress().getPort()));
            }
        });
        named.put("unreachable", URI.create("http://127.0.0.1:1"));

        List<ServiceDocument> read = documents.read(named);

        assertThat(read).extracting(ServiceDocument::name).containsExactlyElementsOf(named.keySet());
        assertThat(read.get(0).document().path("asyncapi").asString()).isEqualTo("3.1.0");
        assertThat(read.get(0).error()).isNull();
        assertThat(read.get(1).error()).isEqualTo("answered 503: {\"detail\":\"try again later\"}");
        assertThat(read.get(2).error()).isEqualTo("its /asyncapi.json is not an AsyncAPI document");
        assertThat(read.get(3).error()).isEqualTo("its document is larger than " + EventDocuments.MAX_BYTES + " bytes");
        assertThat(read.get(4).error()).startsWith("unreachable: ");
        assertThat(read.subList(1, 5))
                .allSatisfy(failed -> assertThat(failed.document()).isNull());
    }

    @Test
    void aServiceThatTricklesItsDocumentIsCutOffAfterTheTimeoutAndItsConnectionClosed() throws Exception {
        URI stalling = URI.create(
                "http://127.0.0.1:" + services.get("stalling").getAddress().getPort());
        // Once, patiently: the first request of a JVM loads the HTTP client, which may take longer than the timeout.
        documents.read(Map.of(
                "good",
                URI.create(
                        "http://127.0.0.1:" + services.get("good").getAddress().getPort())));
        try (EventDocuments impatient =
                new EventDocuments(HttpClient.newBuilder().build(), Duration.ofMillis(500))) {
            // The headers come at once; the body a byte at a time, until the connection is closed.
            List<ServiceDocument> read = impatient.read(Map.of("stalling", stalling));

            assertThat(read.get(0).document()).isNull();
            assertThat(read.get(0).error()).isEqualTo("did not send its document within 500 ms");
        }
        assertThat(cutOff.await(30, TimeUnit.SECONDS))
                .as("the dashboard closed the stalled connection")
                .isTrue();
    }

    private Map<String, HttpServer> services() {
        Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        handlers.put("good", exchange -> send(exchange, 200, "{\"asyncapi\":\"3.1.0\"}"));
        handlers.put("down", exchange -> send(exchange, 503, "{\"detail\":\"try again later\"}"));
        handlers.put("not-asyncapi", exchange -> send(exchange, 200, "[1, 2]"));
        handlers.put("huge", exchange -> send(exchange, 200, "\"" + "x".repeat(EventDocuments.MAX_BYTES) + "\""));
        handlers.put("stalling", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            try {
                body.write("{\"asyncapi\":\"".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 6000; i++) {
                    body.write('x');
                    body.flush();
                    Thread.sleep(10);
                }
            } catch (IOException e) {
                cutOff.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        Map<String, HttpServer> servers = new LinkedHashMap<>();
        handlers.forEach((name, handler) -> {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.setExecutor(Executors.newCachedThreadPool());
                server.createContext("/asyncapi.json", handler);
                server.start();
                servers.put(name, server);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return servers;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
