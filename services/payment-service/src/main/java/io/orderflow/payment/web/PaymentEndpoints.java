package io.orderflow.payment.web;

import io.orderflow.security.EndpointRules;
import io.orderflow.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call payment-service: a customer reads their own payments (the controller hides the others'). */
@Configuration(proxyBeanMethods = false)
class PaymentEndpoints {

    @Bean
    EndpointRules paymentEndpointRules() {
        return EndpointRules.builder()
                .allow(HttpMethod.GET, "/payments/{orderId}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
                .build();
    }
}
