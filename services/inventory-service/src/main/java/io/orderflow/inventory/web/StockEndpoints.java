package io.orderflow.inventory.web;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call inventory-service: anyone signed in reads the catalogue; operators set prices. */
@Configuration(proxyBeanMethods = false)
class StockEndpoints {

    @Bean
    EndpointRules stockEndpointRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.GET, "/stock", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .operator(HttpMethod.PUT, "/stock/{productId}/prices")
                .build();
    }
}
