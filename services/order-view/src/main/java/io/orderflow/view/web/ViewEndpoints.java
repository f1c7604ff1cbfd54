package io.orderflow.view.web;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may query the read side. A customer sees their own orders (the controller hides the others'); figures across
 * every customer (revenue, top products) and stopping or resetting the read side are for operators.
 */
@Configuration(proxyBeanMethods = false)
class ViewEndpoints {

    @Bean
    EndpointRules viewEndpointRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.GET, "/views/orders/{orderId}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .allow(
                        HttpMethod.GET,
                        "/views/customers/{customerId}/orders",
                        Role.CUSTOMER,
                        Role.STOREFRONT,
                        Role.OPERATOR)
                .operator(HttpMethod.GET, "/views/revenue")
                .operator(HttpMethod.GET, "/views/products/top")
                .operator(HttpMethod.GET, "/views/admin/status")
                .operator(HttpMethod.POST, "/views/admin/stop")
                .operator(HttpMethod.POST, "/views/admin/reset")
                .operator(HttpMethod.POST, "/views/admin/start")
                .build();
    }
}
