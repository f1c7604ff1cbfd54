package io.orderflow.apidocs.testapp;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/**
 * A small service: things a customer places and reads, an open catalogue, and an error as a problem detail; it writes
 * the orders topic, with a schema registry that never answers.
 */
@SpringBootApplication
public class ThingsApp {

    @Bean
    EndpointRules thingRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.POST, "/things", Role.CUSTOMER, Role.STOREFRONT)
                .allow(HttpMethod.GET, "/things/{id}", Role.CUSTOMER, Role.OPERATOR)
                .open(HttpMethod.GET, "/catalogue")
                .build();
    }

    @Bean
    Topic writtenTopic() {
        return Topics.ORDERS;
    }

    @Bean
    EventSerdes eventSerdes() {
        // Nothing listens on the discard port here: every registry call is refused at once.
        return new EventSerdes(new SchemaRegistryClient("http://127.0.0.1:9", Duration.ofSeconds(1)), false);
    }
}
