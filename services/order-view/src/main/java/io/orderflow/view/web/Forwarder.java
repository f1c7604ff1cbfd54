package io.orderflow.view.web;

import io.orderflow.view.streams.ViewUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * Sends a query on to the instance that owns its key, and that instance's answer back unchanged. A forwarded query
 * is marked, so the owner answers from its own stores and never forwards again: a key whose owner changed in
 * between is answered "unavailable, retry", not bounced around.
 */
final class Forwarder {

    static final String FORWARDED_BY = "X-Orderflow-Forwarded-By";
    static final String SERVED_BY = "X-Orderflow-Served-By";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Duration timeout;

    Forwarder(Duration timeout) {
        this.timeout = timeout;
    }

    static boolean wasForwarded(HttpServletRequest request) {
        return request.getHeader(FORWARDED_BY) != null;
    }

    /** The caller's credentials, so that the owner decides what they may see, as this instance would have. */
    static String authorization(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION);
    }

    CompletableFuture<ResponseEntity<byte[]>> forward(
            HostInfo owner, HostInfo self, HttpServletRequest request, Duration extraWait) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        return get(owner, self, request.getRequestURI() + query, extraWait, authorization(request))
                .thenApply(response -> ResponseEntity.status(response.statusCode())
                        .headers(headers -> copy(response, headers))
                        .body(response.body()));
    }

    /** @param authorization the caller's {@code Authorization} header, passed on as it came */
    CompletableFuture<HttpResponse<byte[]>> get(
            HostInfo owner, HostInfo self, String pathAndQuery, Duration extraWait, String authorization) {
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .timeout(timeout.plus(extraWait))
                .header(FORWARDED_BY, self.host() + ":" + self.port())
                .header("Accept", "application/json")
                .GET();
        if (authorization != null) {
            forwarded.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return client.sendAsync(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray())
                .exceptionally(error -> {
                    throw new CompletionException(new ViewUnavailableException("instance " + owner.host() + ":"
                            + owner.port() + ", which holds the data, did not answer: " + rootMessage(error)));
                });
    }

    private static void copy(HttpResponse<byte[]> response, HttpHeaders headers) {
        for (String name :
                new String[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE, SERVED_BY
                }) {
            response.headers().firstValue(name).ifPresent(value -> headers.set(name, value));
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
