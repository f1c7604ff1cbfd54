package io.orderflow.dashboard;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The operators' page, on port 8080: every service's health, lag and throughput, the latest orders with their saga
 * timelines, the dead letters with a replay button, the circuit breakers. It reads the services over HTTP (health,
 * {@code /ops/lag}, Prometheus metrics, the order list, the read side's views) and the dead-letter topics from
 * Kafka, and pushes a snapshot to the browsers every refresh over server-sent events.
 *
 * <p>For operators only: a browser signs in at the issuer ({@code OAUTH2_ISSUER_URI}, OpenID Connect with PKCE), a
 * script sends an operator's bearer token to {@code /api/**}; the services are read with the dashboard's own token
 * (client credentials, {@code DASHBOARD_CLIENT_SECRET}). See {@code security.DashboardSecurity}.
 */
// The launcher runs every service from one class path, where JDBC and Flyway are present: the dashboard uses neither.
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@EnableConfigurationProperties(DashboardProperties.class)
@EnableScheduling
public class DashboardApplication {

    /** Its settings live in {@value #CONFIG_NAME}.yml, so that several services can share one class path. */
    public static final String CONFIG_NAME = "dashboard";

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(DashboardApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        return application;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
