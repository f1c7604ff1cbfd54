package io.orderflow.view.web;

import io.orderflow.view.streams.ViewStreams;
import io.orderflow.view.streams.ViewUnavailableException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks every instance that holds part of a store for its part, itself included, and hands back all the parts. An
 * instance that does not answer fails the query: a sum over some of the data would look right and be wrong.
 */
final class ScatterGather {

    private final ViewStreams streams;
    private final Forwarder forwarder;
    private final JsonMapper json;

    ScatterGather(ViewStreams streams, Forwarder forwarder, JsonMapper json) {
        this.streams = streams;
        this.forwarder = forwarder;
        this.json = json;
    }

    /**
     * @param pathAndQuery  the query each other instance answers for its own part
     * @param authorization the caller's credentials, which each other instance checks again
     */
    <R, T> CompletableFuture<List<List<T>>> gather(
            String store,
            String pathAndQuery,
            String authorization,
            Supplier<List<T>> localPart,
            Class<R> answerType,
            Function<R, List<T>> partOf) {
        Collection<HostInfo> instances = streams.instancesOf(store);
        if (instances.isEmpty()) {
            throw new ViewUnavailableException("no instance holds " + store + " yet");
        }
        List<CompletableFuture<List<T>>> parts = new ArrayList<>();
        for (HostInfo instance : instances) {
            if (instance.equals(streams.self())) {
                parts.add(CompletableFuture.completedFuture(localPart.get()));
            } else {
                parts.add(forwarder
                        .get(instance, streams.self(), pathAndQuery, Duration.ZERO, authorization)
                        .thenApply(response -> partOf.apply(read(instance, response, answerType))));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> parts.stream().map(CompletableFuture::join).toList());
    }

    private <R> R read(HostInfo instance, HttpResponse<byte[]> response, Class<R> type) {
        if (response.statusCode() != 200) {
            throw new ViewUnavailableException("instance " + instance.host() + ":" + instance.port()
                    + " answered its part with status " + response.statusCode());
        }
        try {
            return json.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new ViewUnavailableException("instance " + instance.host() + ":" + instance.port()
                    + " answered its part with an unreadable body: " + e.getOriginalMessage());
        }
    }
}
