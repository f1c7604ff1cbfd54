package io.orderflow.dashboard.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every service's AsyncAPI document ({@code /asyncapi.json}, open on each service), read together, for the event
 * catalogue page to merge: topics, their events, the schema versions and who writes and reads each. A service that
 * does not answer, or answers something else, is listed with why instead.
 */
public final class EventDocuments implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Far above a real document (tens of KiB): a service answering without end is cut off, not buffered. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    /** Bodies are read on threads of their own: a stalled one is closed after the timeout, which frees its thread. */
    private final ExecutorService readers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "event-documents");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration timeout;

    public EventDocuments(HttpClient http) {
        this(http, TIMEOUT);
    }

    EventDocuments(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * @param url      the service's base URL
     * @param document its AsyncAPI document; absent when it could not be read
     * @param error    why it could not be read; absent when it could
     */
    public record ServiceDocument(String name, String url, JsonNode document, String error) {}

    public List<ServiceDocument> read(Map<String, URI> services) {
        List<CompletableFuture<ServiceDocument>> reads = services.entrySet().stream()
                .map(service -> read(service.getKey(), service.getValue()))
                .toList();
        return reads.stream().map(CompletableFuture::join).toList();
    }

    /**
     * One service's document, or why not: its headers within the timeout ({@link #TIMEOUT}), then its body within as
     * long again. A service that sends its headers and then stalls is cut off (its stream closed), not waited for.
     */
    private CompletableFuture<ServiceDocument> read(String name, URI url) {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/asyncapi.json"))
                .timeout(timeout)
                .header("Accept", "application/json")
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenCompose(answer -> bodyOf(name, url, answer))
                .exceptionally(e -> failed(name, url, why(rootCause(e))));
    }

    private String why(Throwable failure) {
        return failure instanceof TimeoutException
                ? "did not send its document within " + timeout.toMillis() + " ms"
                : "unreachable: " + ServiceProbe.describe(failure, timeout);
    }

    private CompletableFuture<ServiceDocument> bodyOf(String name, URI url, HttpResponse<InputStream> answer) {
        try {
            return CompletableFuture.supplyAsync(() -> parse(name, url, answer), readers)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((document, failure) -> {
                        if (failure != null) {
                            closeQuietly(answer.body());
                        }
                    });
        } catch (RejectedExecutionException closing) {
            closeQuietly(answer.body());
            return CompletableFuture.completedFuture(failed(name, url, "the dashboard is shutting down"));
        }
    }

    private ServiceDocument parse(String name, URI url, HttpResponse<InputStream> answer) {
        try (InputStream body = answer.body()) {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (answer.statusCode() != 200) {
                return failed(name, url, "answered " + answer.statusCode() + ": " + excerpt(bytes));
            }
            if (bytes.length > MAX_BYTES) {
                return failed(name, url, "its document is larger than " + MAX_BYTES + " bytes");
            }
            JsonNode document = json.readTree(bytes);
            if (!document.path("asyncapi").isString()) {
                return failed(name, url, "its /asyncapi.json is not an AsyncAPI document");
            }
            return new ServiceDocument(name, url.toString(), document, null);
        } catch (IOException | JacksonException e) {
            return failed(name, url, "its document could not be read: " + e.getMessage());
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // Closed to free the reading thread; nothing to do if it cannot be.
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    private static ServiceDocument failed(String name, URI url, String why) {
        return new ServiceDocument(name, url.toString(), null, why);
    }

    private static String excerpt(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
        return text.replaceAll("\\p{Cntrl}", " ").strip();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
