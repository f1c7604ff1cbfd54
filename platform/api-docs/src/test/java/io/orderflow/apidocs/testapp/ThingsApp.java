package io.orderflow.apidocs.testapp;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/** A small service: things a customer places and reads, an open catalogue, and an error as a problem detail. */
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
}
