package io.orderflow.eventing.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The settings the library relies on, added below everything the application configures itself. */
class EventingDefaultsTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    private StandardEnvironment postProcessed(Map<String, Object> applicationsOwn) {
        environment.getPropertySources().addFirst(new MapPropertySource("application", applicationsOwn));
        new EventingDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void aSpringBootApplicationGetsTheDefaultsBelowItsOwnConfiguration() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.config.name=no-such-file",
                        "--orderflow.eventing.schema=orders",
                        "--management.endpoint.health.status.http-mapping.degraded=503")) {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.flyway.default-schema")).isEqualTo("orders");
            assertThat(environment.getProperty("management.endpoint.health.status.order"))
                    .isEqualTo("down,out-of-service,degraded,up,unknown");
            assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.degraded"))
                    .isEqualTo("503");
        }
    }

    @Test
    void theApplicationsOwnDefaultPropertiesWinToo() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.name=no-such-file",
                        "spring.kafka.bootstrap-servers=broker:9092",
                        "logging.level.org.apache.kafka.clients.consumer.internals.SubscriptionState=DEBUG")
                .run()) {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.kafka.bootstrap-servers"))
                    .isEqualTo("broker:9092");
            assertThat(environment.getProperty(
                            "logging.level.org.apache.kafka.clients.consumer.internals.SubscriptionState"))
                    .isEqualTo("DEBUG");
            assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.degraded"))
                    .isEqualTo("200");
        }
    }

    static class Nothing {}

    @Test
    void theApplicationsOwnPropertySourceWinsToo() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WithOwnPropertySource.class)
                .web(WebApplicationType.NONE)
                .run("--spring.config.name=no-such-file")) {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
                    .isEqualTo("5s");
            assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.degraded"))
                    .isEqualTo("503");
            assertThat(environment.getProperty("management.endpoint.health.status.order"))
                    .isEqualTo("down,out-of-service,degraded,up,unknown");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @PropertySource("classpath:io/orderflow/eventing/spring/autoconfigure/own-settings.properties")
    static class WithOwnPropertySource {}

    @Test
    void theHealthStatusDegradedIsRankedAndAnswers200() {
        postProcessed(Map.of());
        assertThat(environment.getProperty("management.endpoint.health.status.order"))
                .isEqualTo("down,out-of-service,degraded,up,unknown");
        assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.degraded"))
                .isEqualTo("200");
    }

    @Test
    void everyLogLineCarriesTheTraceTheSpanAndTheSagaSeparatedFromTheLogger() {
        postProcessed(Map.of());
        assertThat(environment.getProperty("logging.pattern.correlation"))
                .isEqualTo("[%X{traceId:-},%X{spanId:-},%X{correlationId:-}] ");
    }

    @Test
    void theInfrastructureIsFoundThroughTheSameEnvironmentVariablesInEveryService() {
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "environment",
                        Map.of("SCHEMA_REGISTRY_URL", "http://registry:8081", "KAFKA_TOPIC_PARTITIONS", "12")));
        postProcessed(Map.of());
        assertThat(environment.getProperty("orderflow.eventing.schema-registry.url"))
                .isEqualTo("http://registry:8081");
        assertThat(environment.getProperty("orderflow.eventing.topics.partitions"))
                .isEqualTo("12");
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void theApplicationsOwnSettingsWin() {
        postProcessed(Map.of(
                "spring.lifecycle.timeout-per-shutdown-phase",
                "5s",
                "management.endpoint.health.status.http-mapping.degraded",
                "503"));
        assertThat(environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
                .isEqualTo("5s");
        assertThat(environment.getProperty("management.endpoint.health.status.http-mapping.degraded"))
                .isEqualTo("503");
        assertThat(environment
                        .getPropertySources()
                        .precedenceOf(environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME)))
                .isEqualTo(environment.getPropertySources().size() - 1);
    }

    @Test
    void aNamedSchemaIsWhereTheConnectionsAndTheServicesMigrationsWork() {
        postProcessed(Map.of("orderflow.eventing.schema", "shipping"));
        assertThat(environment.getProperty("spring.datasource.hikari.schema")).isEqualTo("shipping");
        assertThat(environment.getProperty("spring.flyway.schemas")).isEqualTo("shipping");
        assertThat(environment.getProperty("spring.flyway.default-schema")).isEqualTo("shipping");
        assertThat(environment.getProperty("spring.flyway.baseline-on-migrate")).isEqualTo("true");
    }

    @Test
    void withoutASchemaTheDatabaseIsLeftAlone() {
        postProcessed(Map.of());
        assertThat(environment.containsProperty("spring.datasource.hikari.schema"))
                .isFalse();
        assertThat(environment.containsProperty("spring.flyway.schemas")).isFalse();
        assertThat(environment.containsProperty("management.endpoint.health.status.order"))
                .isTrue();
    }

    @Test
    void anApplicationThatSwitchesTheLibraryOffGetsNoneOfItsDefaults() {
        postProcessed(Map.of("orderflow.eventing.enabled", "false", "orderflow.eventing.schema", "shipping"));
        assertThat(environment.getPropertySources().contains(DefaultPropertiesPropertySource.NAME))
                .isFalse();
        assertThat(environment.containsProperty("management.endpoint.health.status.order"))
                .isFalse();
    }
}
