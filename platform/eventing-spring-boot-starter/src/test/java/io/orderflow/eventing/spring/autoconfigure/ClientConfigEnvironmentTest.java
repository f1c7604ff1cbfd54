package io.orderflow.eventing.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.eventing.clientconfig.ClientConfigException;
import io.orderflow.eventing.clientconfig.TestCertificates;
import io.orderflow.eventing.serde.EventSerdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The client configuration file in a Spring Boot service: every Kafka client Spring Boot builds gets its settings,
 * every registry client its access, above the service's YAML and below its environment variables.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientConfigEnvironmentTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"orderflow\" password=\"pa${ss}word\";";

    @TempDir
    Path directory;

    private final TestCertificates certificates = TestCertificates.get();

    private Path clientFile() throws IOException {
        Path file = directory.resolve("client.properties");
        Files.write(
                file,
                List.of(
                        "bootstrap.servers=broker.example:9093",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "sasl.jaas.config=" + JAAS.replace("\\", "\\\\"),
                        "ssl.truststore.type=PEM",
                        "ssl.truststore.location=" + certificates.serverPem(),
                        "schema.registry.url=https://registry.example:8081",
                        "basic.auth.credentials.source=USER_INFO",
                        "basic.auth.user.info=orderflow-sr:registry-secret",
                        "schema.registry.ssl.truststore.location=" + certificates.serverTruststoreJks(),
                        "schema.registry.ssl.truststore.type=JKS",
                        "schema.registry.ssl.truststore.password=" + TestCertificates.PASSWORD));
        return file;
    }

    /** An environment as a service's: its environment variables, then its YAML. */
    private static StandardEnvironment postProcessed(Map<String, Object> variables, Map<String, Object> yaml) {
        StandardEnvironment environment = new StandardEnvironment();
        var sources = environment.getPropertySources();
        sources.replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        sources.addLast(new MapPropertySource("application.yml", yaml));
        new ClientConfigEnvironment(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    private static KafkaProperties kafka(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("spring.kafka", KafkaProperties.class);
    }

    @Test
    void everyKafkaClientSpringBootBuildsGetsTheFilesSettingsAboveTheServicesYaml() throws IOException {
        StandardEnvironment environment = postProcessed(
                Map.of("ORDERFLOW_CLIENT_CONFIG", clientFile().toString()),
                Map.of(
                        "spring.kafka.bootstrap-servers", "127.0.0.1:9092",
                        "spring.kafka.properties.security.protocol", "PLAINTEXT",
                        "spring.kafka.properties.client.dns.lookup", "use_all_dns_ips"));

        KafkaProperties kafka = kafka(environment);
        List<Map<String, Object>> clients = List.of(
                kafka.buildProducerProperties(),
                kafka.buildConsumerProperties(),
                kafka.buildAdminProperties(),
                kafka.buildStreamsProperties());
        for (Map<String, Object> client : clients) {
            assertThat(client)
                    .containsEntry("bootstrap.servers", List.of("broker.example:9093"))
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry(
                            "ssl.truststore.location", certificates.serverPem().toString())
                    .as("the YAML's other settings stay")
                    .containsEntry("client.dns.lookup", "use_all_dns_ips")
                    .doesNotContainKeys("schema.registry.url", "basic.auth.user.info", "basic.auth.credentials.source");
        }
        assertThat(environment
                        .getPropertySources()
                        .precedenceOf(environment.getPropertySources().get(ClientConfigEnvironment.SOURCE)))
                .as("just below the environment variables")
                .isEqualTo(environment
                                .getPropertySources()
                                .precedenceOf(environment
                                        .getPropertySources()
                                        .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME))
                        + 1);
    }

    @Test
    void everyRegistryClientGetsTheRegistrysUrlUserAndTruststore() throws IOException {
        StandardEnvironment environment =
                postProcessed(Map.of("ORDERFLOW_CLIENT_CONFIG", clientFile().toString()), Map.of());

        EventingProperties.SchemaRegistry registry = Binder.get(environment)
                .bindOrCreate("orderflow.eventing", EventingProperties.class)
                .schemaRegistry();

        assertThat(registry.url()).isEqualTo("https://registry.example:8081");
        assertThat(registry.access().user()).contains("orderflow-sr");
        assertThat(registry.access().trusted()).hasValueSatisfying(truststore -> {
            assertThat(truststore.location()).isEqualTo(certificates.serverTruststoreJks());
            assertThat(truststore.type()).isEqualTo("JKS");
        });
        assertThat(registry.client().url()).isEqualTo("https://registry.example:8081");
        assertThat(registry.toString()).contains("registry.example", "JKS").doesNotContain("secret");
    }

    @Test
    void theLocalStacksVariablesWinOverTheFile() throws IOException {
        StandardEnvironment environment = postProcessed(
                Map.of(
                        "ORDERFLOW_CLIENT_CONFIG", clientFile().toString(),
                        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092",
                        "SCHEMA_REGISTRY_URL", "https://127.0.0.1:18086"),
                Map.of());
        assertThat(kafka(environment).buildAdminProperties())
                .containsEntry("bootstrap.servers", List.of("127.0.0.1:19092"))
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(environment.getProperty("orderflow.eventing.schema-registry.url"))
                .isEqualTo("https://127.0.0.1:18086");
    }

    @Test
    void withoutTheVariableNothingIsAdded() {
        StandardEnvironment environment = postProcessed(Map.of("KAFKA_BOOTSTRAP_SERVERS", "x:1"), Map.of());
        assertThat(environment.getPropertySources().contains(ClientConfigEnvironment.SOURCE))
                .isFalse();
        assertThat(environment.getPropertySources().size()).isEqualTo(3);
    }

    @Test
    void aServiceWithTheLibraryOffGetsTheFileToo(CapturedOutput output) throws IOException {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.config.name=no-such-file",
                        "--orderflow.eventing.enabled=false",
                        "--ORDERFLOW_CLIENT_CONFIG=" + clientFile())) {
            var environment = context.getEnvironment();
            assertThat(environment.getProperty("spring.kafka.properties.security.protocol"))
                    .isEqualTo("SASL_SSL");
            assertThat(environment.getProperty("orderflow.eventing.schema-registry.user-info"))
                    .isEqualTo("orderflow-sr:registry-secret");
        }
        assertThat(output)
                .contains("configured from ORDERFLOW_CLIENT_CONFIG", "SASL_SSL", "orderflow-sr")
                .doesNotContain("registry-secret", "pa${ss}word", TestCertificates.PASSWORD);
    }

    static class Nothing {}

    @Test
    void aFileThatCannotBeUsedStopsTheStartWithWhatIsWrongAndNoStackTrace(CapturedOutput output) {
        Path missing = directory.resolve("missing.properties");
        assertThatThrownBy(() -> new SpringApplicationBuilder(Nothing.class)
                        .web(WebApplicationType.NONE)
                        .run("--spring.config.name=no-such-file", "--ORDERFLOW_CLIENT_CONFIG=" + missing))
                .isInstanceOf(ClientConfigException.class);
        assertThat(output)
                .contains(
                        "APPLICATION FAILED TO START",
                        "ORDERFLOW_CLIENT_CONFIG names " + missing + ", which does not exist",
                        "Fix the file ORDERFLOW_CLIENT_CONFIG names")
                .doesNotContain("\tat io.orderflow");
        FailureAnalysis analysis = new ClientConfigFailureAnalyzer()
                .analyze(new IllegalStateException(
                        "bean creation failed", new ClientConfigException("truststore /x does not exist")));
        assertThat(analysis.getDescription()).endsWith("truststore /x does not exist");
    }

    @Test
    void theAutoConfiguredSerdesAndAnyOtherRegistryClientUseTheAccessSettings() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventingAutoConfiguration.class))
                .withBean(org.springframework.boot.kafka.autoconfigure.KafkaProperties.class)
                .withPropertyValues(
                        "orderflow.eventing.schema-registry.url=https://registry.example:8081",
                        "orderflow.eventing.schema-registry.user-info=user-without-colon")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(ClientConfigException.class)
                        .hasMessageNotContaining("user-without-colon"));
        Map<String, Object> missing = new HashMap<>();
        missing.put("orderflow.eventing.schema-registry.truststore.location", "/nowhere/ca.pem");
        missing.put("orderflow.eventing.schema-registry.truststore.type", "PEM");
        List<String> values = new ArrayList<>();
        missing.forEach((key, value) -> values.add(key + "=" + value));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventingAutoConfiguration.class))
                .withBean(org.springframework.boot.kafka.autoconfigure.KafkaProperties.class)
                .withPropertyValues(values.toArray(String[]::new))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("truststore /nowhere/ca.pem does not exist"));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventingAutoConfiguration.class))
                .withBean(org.springframework.boot.kafka.autoconfigure.KafkaProperties.class)
                .withPropertyValues(
                        "orderflow.eventing.schema-registry.url=https://registry.example:8081",
                        "orderflow.eventing.schema-registry.user-info=orderflow-sr:registry-secret",
                        "orderflow.eventing.schema-registry.truststore.location=" + certificates.serverPem(),
                        "orderflow.eventing.schema-registry.truststore.type=PEM",
                        "orderflow.eventing.topics.provision=false")
                .run(context -> assertThat(
                                context.getBean(EventSerdes.class).registry().url())
                        .isEqualTo("https://registry.example:8081"));
    }
}
