package io.orderflow.security.testapp;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/**
 * A small service behind the module: orders (controllers, a path variable, the caller as a parameter), stock (a
 * functional route, nested) and an ops route, each with rules, in two beans that the module merges.
 */
@SpringBootApplication
public class SecuredApp {

    @Bean
    EndpointRules orderRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.POST, "/orders", Role.CUSTOMER, Role.STOREFRONT)
                .allow(HttpMethod.GET, "/orders/{id}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .operator(HttpMethod.GET, "/orders")
                .allow(HttpMethod.GET, "/me", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .build();
    }

    @Bean
    EndpointRules stockRules() {
        return EndpointRules.builder()
                .open(HttpMethod.GET, "/stock/{sku}")
                .operator(HttpMethod.PUT, "/stock/{sku}")
                .build();
    }
}
