package io.orderflow.shipping.web;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call shipping-service: a customer reads their own shipments (the controller hides the others'). */
@Configuration(proxyBeanMethods = false)
class ShipmentEndpoints {

    @Bean
    EndpointRules shipmentEndpointRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.GET, "/shipments/{orderId}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .build();
    }
}
