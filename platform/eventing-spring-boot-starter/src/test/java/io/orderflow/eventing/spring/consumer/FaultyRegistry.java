package io.orderflow.eventing.spring.consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server in front of the schema registry: it passes requests through, or answers every one with the
 * fault a test sets (an auth error, throttling, a body that is no schema), counting the requests it answered.
 */
final class FaultyRegistry implements AutoCloseable {

    /** An answer the registry should never give, or gives only while something is wrong on its side. */
    record Fault(String name, int status, String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger faultsAnswered = new AtomicInteger();
    private volatile Fault fault;

    FaultyRegistry(String target) {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void failWith(Fault answer) {
        fault = answer;
    }

    void heal() {
        fault = null;
    }

    int faultsAnswered() {
        return faultsAnswered.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Fault current = fault;
            if (current != null) {
                faultsAnswered.incrementAndGet();
                reply(exchange, current.status(), current.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            reply(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
