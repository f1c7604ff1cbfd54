package io.orderflow.view;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.RegisteredSchemas;
import io.orderflow.eventing.spring.autoconfigure.EventingAutoConfiguration;
import io.orderflow.eventing.spring.autoconfigure.EventingProperties;
import io.orderflow.view.streams.OrderViewUpdates;
import io.orderflow.view.streams.ViewProperties;
import io.orderflow.view.streams.ViewReset;
import io.orderflow.view.streams.ViewStreams;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * order-view: the read side. It keeps no database: its views are Kafka Streams state stores, built from every
 * context's topics and backed by changelog topics. The eventing library is used for its serdes and catalogue only.
 */
// The launcher runs every service from one class path, where JDBC and Flyway are present: the view uses neither.
@SpringBootApplication(
        exclude = EventingAutoConfiguration.class,
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@EnableConfigurationProperties({ViewProperties.class, EventingProperties.class})
public class OrderViewApplication {

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "order-view";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventSerdes eventSerdes(EventingProperties eventing) {
        return new EventSerdes(eventing.schemaRegistry().client(), false);
    }

    /** Refuses to start when a registered version of any event could not be read. */
    @Bean
    RegisteredSchemas registeredSchemas(EventSerdes serdes) {
        return RegisteredSchemas.check(serdes, List.of(), Topics.ALL);
    }

    /**
     * What its event document says it reads: every topic, as the Streams application's group. A product listed is
     * about no order: the view decodes it and passes it by.
     */
    @Bean
    Subscription viewSubscription(ViewProperties properties) {
        Subscription everything = Subscription.ofEveryEvent(properties.applicationId(), Topics.ALL);
        return new Subscription(
                everything.group(),
                everything.topics(),
                everything.handled().stream()
                        .filter(type -> type != ProductListed.class)
                        .collect(Collectors.toSet()));
    }

    @Bean
    OrderViewUpdates orderViewUpdates(MeterRegistry meters) {
        OrderViewUpdates updates = new OrderViewUpdates();
        Gauge.builder("orderflow.view.reads.waiting", updates, OrderViewUpdates::waiting)
                .description("Queries waiting for an order's view to reach the version they asked for")
                .register(meters);
        return updates;
    }

    @Bean
    ViewStreams viewStreams(
            ViewProperties properties,
            KafkaProperties kafka,
            EventingProperties eventing,
            EventSerdes serdes,
            OrderViewUpdates updates,
            Clock clock,
            MeterRegistry meters,
            RegisteredSchemas checked) {
        return new ViewStreams(
                properties,
                kafka.buildStreamsProperties(),
                kafka.buildAdminProperties(),
                eventing.topics().settings(),
                serdes,
                updates,
                clock,
                meters);
    }

    @Bean
    ViewReset viewReset(ViewProperties properties, KafkaProperties kafka) {
        return new ViewReset(kafka.buildAdminProperties(), properties.applicationId());
    }

    /** Other instances forward queries to this port, so the streams start once it is known. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> startViewStreams(ViewStreams streams) {
        return event -> streams.start(event.getWebServer().getPort(), false);
    }

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(OrderViewApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
