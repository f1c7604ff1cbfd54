package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + OrderServiceApplication.CONFIG_NAME)
class OrderServiceTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        DevStack stack = TestStack.get();
        registry.add("spring.kafka.bootstrap-servers", stack::bootstrapServers);
        registry.add("spring.datasource.url", stack::jdbcUrl);
        registry.add("spring.datasource.username", stack::databaseUser);
        registry.add("spring.datasource.password", stack::databasePassword);
    }

    @Test
    void placesAnOrder() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"customerId":"c-1","currency":"EUR","items":[{"productId":"KB-001","quantity":1,"unitPrice":10.50}]}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
        assertThat(response.statusCode()).isEqualTo(201);
    }
}
