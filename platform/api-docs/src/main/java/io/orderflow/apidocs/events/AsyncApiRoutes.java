package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code GET /asyncapi.json}: the service's AsyncAPI document, generated from the beans that make it produce and
 * consume ({@link Topic}s it writes, {@link EventConsumer}s and other {@link Subscription}s) and from the schema
 * registry's versions.
 *
 * <p>The endpoint is open to anyone and a build asks the registry for every subject's versions, so a build is never a
 * caller's: one at a time runs on a thread of its own, at most once per {@code cacheFor} (and, after a failure, not
 * again for {@link #FAILURE_KEPT}); a caller waits for it at most {@code wait}. Meanwhile, and while the registry
 * fails, the last document built is served; before there is one, the answer is a 503 that says to come back.
 */
final class AsyncApiRoutes implements AutoCloseable {

    static final String PATH = "/asyncapi.json";
    /** How long a failed build keeps the next one from starting: callers do not pass a registry outage on. */
    static final Duration FAILURE_KEPT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(AsyncApiRoutes.class);

    private final Environment environment;
    private final ObjectProvider<Topic> written;
    private final ObjectProvider<EventConsumer> consumers;
    private final ObjectProvider<Subscription> subscriptions;
    private final ObjectProvider<EventSerdes> serdes;
    private final Clock clock;
    private final Duration cacheFor;
    private final Duration wait;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "asyncapi-document");
        thread.setDaemon(true);
        return thread;
    });

    private String lastDocument;
    private Instant builtAt;
    private Instant failedAt;
    private CompletableFuture<String> building;

    AsyncApiRoutes(
            Environment environment,
            ObjectProvider<Topic> written,
            ObjectProvider<EventConsumer> consumers,
            ObjectProvider<Subscription> subscriptions,
            ObjectProvider<EventSerdes> serdes,
            Clock clock,
            Duration cacheFor,
            Duration wait) {
        this.environment = environment;
        this.written = written;
        this.consumers = consumers;
        this.subscriptions = subscriptions;
        this.serdes = serdes;
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.wait = wait;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().GET(PATH, request -> respond()).build();
    }

    /** The document to serve, or why there is none yet. */
    record Answer(String document, String problem) {}

    private ServerResponse respond() {
        Answer answer = answer();
        if (answer.document() != null) {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(answer.document());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, answer.problem());
        problem.setTitle("The event document cannot be made now");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", String.valueOf(FAILURE_KEPT.toSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    Answer answer() {
        CompletableFuture<String> next;
        String last;
        synchronized (this) {
            if (lastDocument != null && within(builtAt, cacheFor)) {
                return new Answer(lastDocument, null);
            }
            last = lastDocument;
            next = buildIfDue();
        }
        if (next != null) {
            try {
                return new Answer(next.get(wait.toMillis(), TimeUnit.MILLISECONDS), null);
            } catch (TimeoutException | ExecutionException e) {
                // Said in the log by built(); the caller gets the last document, or a 503 without the registry's
                // words: its address, user or answer are not for anyone who asks.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return last != null
                ? new Answer(last, null)
                : new Answer(null, "the schema registry has not told which schema versions exist yet; try again later");
    }

    /** Starts the first build without waiting for it, so that the first caller finds the document ready. */
    synchronized void prepare() {
        if (lastDocument == null) {
            buildIfDue();
        }
    }

    /** The build in flight, one started now, or none while a failure is fresh (or the service is closing). */
    private CompletableFuture<String> buildIfDue() {
        if (building != null || (failedAt != null && within(failedAt, FAILURE_KEPT))) {
            return building;
        }
        CompletableFuture<String> started = new CompletableFuture<>();
        try {
            // built() takes this lock, so the build cannot end before building is set below.
            builder.execute(() -> {
                try {
                    String document = build();
                    built(document, null);
                    started.complete(document);
                } catch (RuntimeException | Error e) {
                    built(null, e);
                    started.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closing) {
            return null;
        }
        building = started;
        return started;
    }

    /**
     * Whether a mark is less than {@code period} old. A clock set back before the mark counts as the period over:
     * a document or a failure is never kept longer than its period because the wall clock jumped.
     */
    private boolean within(Instant mark, Duration period) {
        Instant now = clock.instant();
        return !now.isBefore(mark) && now.isBefore(mark.plus(period));
    }

    private String build() {
        EventSerdes registry = serdes.getIfAvailable();
        if (registry == null) {
            throw new IllegalStateException("this service has no schema registry client");
        }
        return AsyncApiDocument.describe(
                        eventInterface(),
                        environment.getProperty("orderflow.api-docs.version", "0.1.0"),
                        servers(registry),
                        registry.registry()::registeredVersions)
                .toString();
    }

    synchronized boolean isBuilding() {
        return building != null;
    }

    private synchronized void built(String document, Throwable failure) {
        building = null;
        if (failure == null) {
            lastDocument = document;
            builtAt = clock.instant();
            failedAt = null;
        } else {
            failedAt = clock.instant();
            log.warn(
                    "The AsyncAPI document could not be built{}: {}",
                    lastDocument == null ? "" : "; the last one is served meanwhile",
                    failure.getMessage());
        }
    }

    private EventInterface eventInterface() {
        List<Subscription> reads = new ArrayList<>();
        consumers.orderedStream().map(Subscription::of).forEach(reads::add);
        subscriptions.orderedStream().forEach(reads::add);
        return new EventInterface(
                environment.getProperty("spring.application.name", "service"),
                written.orderedStream().toList(),
                reads);
    }

    private AsyncApiDocument.Servers servers(EventSerdes registry) {
        Binder binder = Binder.get(environment);
        String protocol = binder.bind("spring.kafka.security.protocol", String.class)
                .orElseGet(() -> environment.getProperty("spring.kafka.properties.security.protocol", "PLAINTEXT"));
        List<String> bootstrap = binder.bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
                .orElse(List.of("localhost:9092"));
        return new AsyncApiDocument.Servers(
                String.join(",", bootstrap),
                protocol.toUpperCase(Locale.ROOT).endsWith("SSL"),
                withoutUserInfo(registry.registry().url()));
    }

    /** The document is open to anyone: a user and password written into the registry's URL stay out of it. */
    static String withoutUserInfo(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            return "(not a URL)";
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }
}
