package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
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
 * schema registry's versions as they are now. Without the registry it cannot say which versions exist: 503.
 */
final class AsyncApiRoutes {

    static final String PATH = "/asyncapi.json";

    private final Environment environment;
    private final ObjectProvider<Topic> written;
    private final ObjectProvider<EventConsumer> consumers;
    private final ObjectProvider<Subscription> subscriptions;
    private final ObjectProvider<EventSerdes> serdes;

    AsyncApiRoutes(
            Environment environment,
            ObjectProvider<Topic> written,
            ObjectProvider<EventConsumer> consumers,
            ObjectProvider<Subscription> subscriptions,
            ObjectProvider<EventSerdes> serdes) {
        this.environment = environment;
        this.written = written;
        this.consumers = consumers;
        this.subscriptions = subscriptions;
        this.serdes = serdes;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().GET(PATH, request -> document()).build();
    }

    private ServerResponse document() {
        EventSerdes registry = serdes.getIfAvailable();
        if (registry == null) {
            return unavailable("this service has no schema registry client configured");
        }
        try {
            var document = AsyncApiDocument.describe(
                    eventInterface(),
                    environment.getProperty("orderflow.api-docs.version", "0.1.0"),
                    servers(registry),
                    registry.registry()::registeredVersions);
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(document.toString());
        } catch (SchemaRegistryException | SchemaRegistryUnavailableException e) {
            return unavailable("the schema registry did not answer: " + e.getMessage());
        }
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
        String protocol = environment.getProperty(
                "spring.kafka.security.protocol",
                environment.getProperty("spring.kafka.properties.security.protocol", "PLAINTEXT"));
        return new AsyncApiDocument.Servers(
                environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092"),
                protocol.toUpperCase(Locale.ROOT).endsWith("SSL"),
                registry.registry().url());
    }

    private static ServerResponse unavailable(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("The event document cannot be made now");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
