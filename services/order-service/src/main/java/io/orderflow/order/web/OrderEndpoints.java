package io.orderflow.order.web;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call order-service. A customer places, reads and cancels their own orders (the controller answers another
 * customer's as not found); the storefront does so for any customer; listing every customer's orders is for
 * operators.
 */
@Configuration(proxyBeanMethods = false)
class OrderEndpoints {

    @Bean
    EndpointRules orderEndpointRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.POST, "/orders", Role.CUSTOMER, Role.STOREFRONT)
                .allow(HttpMethod.GET, "/orders/{id}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .allow(HttpMethod.POST, "/orders/{id}/cancel", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .operator(HttpMethod.GET, "/orders")
                .build();
    }
}
