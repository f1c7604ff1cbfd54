package io.orderflow.payment;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.payment.application.RefundProperties;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * payment-service: authorizes each order's payment with the external provider once its stock is reserved, and voids
 * or refunds it when the order is cancelled.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(RefundProperties.class)
public class PaymentServiceApplication {

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "payment-service";

    /** The topic this service writes (single-writer rule). */
    @Bean
    Topic paymentsTopic() {
        return Topics.PAYMENTS;
    }

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(PaymentServiceApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
