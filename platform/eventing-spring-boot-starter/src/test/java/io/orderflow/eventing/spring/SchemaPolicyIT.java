package io.orderflow.eventing.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.serde.IncompatibleSchemaException;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.registry.CompatibilityLevel;
import io.orderflow.registry.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service whose schemas do not fit its registry refuses to start, and says which subject and which field: it
 * writes {@code test.echoes} and reads {@code test.counters}, against a registry of its own.
 */
class SchemaPolicyIT {

    private static final String ECHOES_SUBJECT = "test.echoes-io.orderflow.eventing.testevents.CounterIncremented";
    private static final String COUNTERS_SUBJECT = "test.counters-io.orderflow.eventing.testevents.CounterIncremented";

    private final SchemaRegistryServer registry = SchemaRegistryServer.start(
            TestStack.get().bootstrapServers(),
            0,
            new SchemaRegistryServer.Settings(
                    "_schemas_policy_" + UUID.randomUUID(), (short) 1, CompatibilityLevel.BACKWARD));
    private final SchemaRegistryClient client = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void withoutAutoRegistrationAMissingSchemaStopsTheStartNamingTheSubject() {
        Throwable failure = start(false);
        assertThat(refusal(failure))
                .hasMessageContaining(ECHOES_SUBJECT)
                .hasMessageContaining("not registered")
                .hasMessageContaining("orderflow schemas register");
    }

    @Test
    void withSchemasRegisteredBeforehandTheServiceStartsWithoutRegistering() {
        client.register(ECHOES_SUBJECT, CounterIncremented.getClassSchema());
        try (ConfigurableApplicationContext context = app(false).run()) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(client.versions(COUNTERS_SUBJECT))
                .as("a consumer registers nothing")
                .isEmpty();
    }

    @Test
    void anIncompatibleSchemaStopsTheStartNamingTheSubjectAndTheField() throws Exception {
        // Registered by a newer producer under FULL: a field 'owner' without default, which this service lacks.
        put("/config/" + ECHOES_SUBJECT, "{\"compatibility\":\"FULL\"}");
        client.register(ECHOES_SUBJECT, withField("{\"name\":\"owner\",\"type\":\"string\"}"));

        Throwable failure = start(true);
        assertThat(refusal(failure)).hasMessageContaining(ECHOES_SUBJECT).hasMessageContaining("'owner'");
    }

    @Test
    void aConsumerThatCannotReadARegisteredVersionStopsTheStartNamingTheField() throws Exception {
        put("/config/" + COUNTERS_SUBJECT, "{\"compatibility\":\"NONE\"}");
        client.register(
                COUNTERS_SUBJECT,
                new Schema.Parser()
                        .parse(CounterIncremented.getClassSchema()
                                .toString()
                                .replace(
                                        "{\"name\":\"sequence\",\"type\":\"int\"}",
                                        "{\"name\":\"sequence\",\"type\":\"string\"}")));

        Throwable failure = start(true);
        assertThat(refusal(failure))
                .hasMessageContaining(COUNTERS_SUBJECT)
                .hasMessageContaining("field 'sequence'")
                .hasMessageContaining("TYPE_MISMATCH");
    }

    private Throwable start(boolean autoRegister) {
        Throwable failure = catchThrowable(() -> app(autoRegister).run().close());
        assertThat(failure).as("the service must refuse to start").isNotNull();
        return failure;
    }

    private SpringApplicationBuilder app(boolean autoRegister) {
        Map<String, Object> properties = new HashMap<>(TestStack.get().springBootProperties());
        properties.put("orderflow.eventing.schema-registry.url", registry.url());
        properties.put("orderflow.eventing.schema-registry.auto-register", autoRegister);
        properties.put("spring.main.web-application-type", "none");
        return new SpringApplicationBuilder(CounterApp.class).properties(properties);
    }

    private static Schema withField(String field) {
        return new Schema.Parser()
                .parse(CounterIncremented.getClassSchema()
                        .toString()
                        .replace("\"fields\":[", "\"fields\":[" + field + ","));
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(registry.url() + path))
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** The service's own reason, beneath Spring's bean-creation wrappers. */
    private static IncompatibleSchemaException refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IncompatibleSchemaException refusal) {
                return refusal;
            }
        }
        throw new AssertionError("the start failed for another reason", failure);
    }
}
