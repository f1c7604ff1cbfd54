package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tests' HTTP client: java.net.http against one service, a timeout on every request, JSON through Jackson, and a
 * service that does not answer as an unchecked exception, so that a test reads as its steps. Requests a well-behaved
 * client refuses to send (malformed encodings, control characters) need a raw socket instead.
 */
public final class TestHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String baseUrl;
    private final Duration timeout;
    private final Optional<Supplier<String>> token;

    /** Without credentials: for what is open, and to show that the rest is refused. */
    public TestHttp(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    public TestHttp(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, Optional.empty());
    }

    private TestHttp(String baseUrl, Duration timeout, Optional<Supplier<String>> token) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.token = token;
    }

    /**
     * The same service, every request sending the access token {@code token} gives at the time (such as {@code
     * tokens::operator}, which renews it when it is about to expire).
     */
    public TestHttp as(Supplier<String> token) {
        return new TestHttp(baseUrl, timeout, Optional.of(token));
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /** A POST with this body as JSON (none when null), and {@code headers} as name, value, name, value. */
    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(withBody(request(path), body, headers).POST(publisher(body)));
    }

    /** A PUT with this body as JSON, and {@code headers} as name, value, name, value. */
    public HttpResponse<String> put(String path, String body, String... headers) {
        return send(withBody(request(path), body, headers).PUT(publisher(body)));
    }

    /** A request to this service, with the timeout: for what the shortcuts above do not say. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer.get()));
        return request;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    /** An answer's body as JSON. */
    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A record, map or node as JSON text. */
    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** An empty JSON object to fill in, for a body a record would not say as plainly. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder request, String body, String... headers) {
        if (body != null) {
            request.setHeader("Content-Type", "application/json");
        }
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers go as name, value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpRequest.BodyPublisher publisher(String body) {
        return body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    }
}
