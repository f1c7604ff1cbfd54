package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.topic.Topic;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code GET /asyncapi.json}: the service's AsyncAPI document, generated on each request from the beans that make it
 * produce and consume ({@link Topic}s it writes, {@link EventConsumer}s and other {@link Subscription}s) and from the
 * schema registry's versions, at most {@code orderflow.asyncapi.cache-for} (30 s) old. Without the registry it cannot
 * say which versions exist: 503.
 */
final class AsyncApiRoutes {

    static final String PATH = "/asyncapi.json";

    private final Environment environment;
    private final ObjectProvider<Topic> written;
    private final ObjectProvider<EventConsumer> consumers;
    private final ObjectProvider<Subscription> subscriptions;
    private final ObjectProvider<EventSerdes> serdes;
    private final Clock clock;
    private final Duration cacheFor;
    private String cached;
    private Instant cachedAt;

    AsyncApiRoutes(
            Environment environment,
            ObjectProvider<Topic> written,
            ObjectProvider<EventConsumer> consumers,
            ObjectProvider<Subscription> subscriptions,
            ObjectProvider<EventSerdes> serdes,
            Clock clock,
            Duration cacheFor) {
        this.environment = environment;
        this.written = written;
        this.consumers = consumers;
        this.subscriptions = subscriptions;
        this.serdes = serdes;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().GET(PATH, request -> document()).build();
    }

    private ServerResponse document() {
        try {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(current());
        } catch (SchemaRegistryException | SchemaRegistryUnavailableException e) {
            return unavailable("the schema registry did not answer: " + e.getMessage());
        } catch (IllegalStateException e) {
            return unavailable(e.getMessage());
        }
    }

    /**
     * The document, built at most once per {@link #cacheFor}: anyone may ask for it, and each build asks the registry
     * for every subject's versions. One build at a time; callers meanwhile wait for it rather than start their own.
     */
    synchronized String current() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cachedAt.plus(cacheFor))) {
            return cached;
        }
        EventSerdes registry = serdes.getIfAvailable();
        if (registry == null) {
            throw new IllegalStateException("this service has no schema registry client configured");
        }
        cached = AsyncApiDocument.describe(
                        eventInterface(),
                        environment.getProperty("orderflow.api-docs.version", "0.1.0"),
                        servers(registry),
                        registry.registry()::registeredVersions)
                .toString();
        cachedAt = now;
        return cached;
    }

    EventInterface eventInterface() {
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

    private static ServerResponse unavailable(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("The event document cannot be made now");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
