package io.orderflow.order;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.order.application.OrderSagaProperties;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** order-service: takes orders over HTTP and follows them through the saga. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(OrderSagaProperties.class)
public class OrderServiceApplication {

    /** The topic this service writes (single-writer rule). */
    @Bean
    Topic ordersTopic() {
        return Topics.ORDERS;
    }

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "order-service";

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(OrderServiceApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
