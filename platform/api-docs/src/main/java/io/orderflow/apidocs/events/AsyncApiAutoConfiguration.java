package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.security.EndpointRules;
import io.orderflow.security.WebSecurityAutoConfiguration;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The service's events as an AsyncAPI 3 document at {@code /asyncapi.json}, generated from the beans that make it
 * produce and consume, so a new topic, event type or subscription is in it without anyone editing a document. Open to
 * anyone, like the OpenAPI document; {@code orderflow.asyncapi.enabled=false} takes it away.
 */
@AutoConfiguration(after = WebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "orderflow.asyncapi.enabled", matchIfMissing = true)
public class AsyncApiAutoConfiguration {

    /** Where the document is served. */
    public static final String PATH = AsyncApiRoutes.PATH;
    /** How long a document is served before it is built again with the registry's versions of then. */
    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    /** How long a caller waits for a document being built before it gets the last one, or a 503. */
    static final Duration WAIT = Duration.ofSeconds(2);

    @Bean
    EndpointRules asyncApiRules() {
        return EndpointRules.builder().open(HttpMethod.GET, PATH).build();
    }

    @Bean
    AsyncApiRoutes asyncApiDocument(
            Environment environment,
            ObjectProvider<Topic> written,
            ObjectProvider<EventConsumer> consumers,
            ObjectProvider<Subscription> subscriptions,
            ObjectProvider<EventSerdes> serdes) {
        Binder binder = Binder.get(environment);
        return new AsyncApiRoutes(
                environment,
                written,
                consumers,
                subscriptions,
                serdes,
                Clock.systemUTC(),
                binder.bind("orderflow.asyncapi.cache-for", Duration.class).orElse(CACHE_FOR),
                binder.bind("orderflow.asyncapi.wait", Duration.class).orElse(WAIT));
    }

    @Bean
    RouterFunction<ServerResponse> asyncApiRoutes(AsyncApiRoutes document) {
        return document.routes();
    }

    /** Once the service is up (its schemas checked against the registry), the first document is built. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> asyncApiDocumentPrepared(AsyncApiRoutes document) {
        return ready -> document.prepare();
    }
}
