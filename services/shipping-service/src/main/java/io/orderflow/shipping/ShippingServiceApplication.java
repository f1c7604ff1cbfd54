package io.orderflow.shipping;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.topic.Topic;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** shipping-service: books a carrier for every paid order. */
@SpringBootApplication
public class ShippingServiceApplication {

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "shipping-service";

    /** The topic this service writes (single-writer rule). */
    @Bean
    Topic shipmentsTopic() {
        return Topics.SHIPMENTS;
    }

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(ShippingServiceApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
