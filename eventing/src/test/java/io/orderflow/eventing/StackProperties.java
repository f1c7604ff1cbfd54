package io.orderflow.eventing;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.TestStack;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring Boot test at the shared embedded stack. */
final class StackProperties {

    private StackProperties() {
    }

    static void register(DynamicPropertyRegistry registry) {
        DevStack stack = TestStack.get();
        registry.add("spring.kafka.bootstrap-servers", stack::bootstrapServers);
        registry.add("spring.datasource.url", stack::jdbcUrl);
        registry.add("spring.datasource.username", stack::databaseUser);
        registry.add("spring.datasource.password", stack::databasePassword);
    }
}
