package io.orderflow.inventory;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.topic.Topic;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** inventory-service: keeps stock and reserves it for orders, all or nothing. */
@SpringBootApplication
public class InventoryServiceApplication {

    /** The topic this service writes (single-writer rule). */
    @Bean
    Topic inventoryTopic() {
        return Topics.INVENTORY;
    }

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "inventory-service";

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(InventoryServiceApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
