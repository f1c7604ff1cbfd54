package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.devstack.StackSettings;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.clientconfig.ClientConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands take the client configuration file: its Kafka settings and registry access, its addresses. */
class ClientConfigOptionsTest {

    @TempDir
    Path directory;

    private Path file(String... lines) throws IOException {
        Path file = directory.resolve("client-" + System.nanoTime() + ".properties");
        Files.write(file, List.of(lines));
        return file;
    }

    private Path securedCluster() throws IOException {
        return file(
                "bootstrap.servers=broker.example:9093",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"u\" password=\"p\";",
                "schema.registry.url=https://registry.example",
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=sr-user:sr-secret");
    }

    @Test
    void theDeadLetterCommandsUseTheFilesSettingsAndItsAddressesUnlessAnOptionNamesOthers() throws IOException {
        DlqCommand.Connection connection = new DlqCommand.Connection();
        connection.variables = Map.of(ClientConfig.VARIABLE, securedCluster().toString())::get;

        assertThat(connection.kafka())
                .containsEntry("bootstrap.servers", "broker.example:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config")
                .doesNotContainKeys("schema.registry.url", "basic.auth.user.info");
        assertThat(connection.registry().url()).isEqualTo("https://registry.example");

        connection.bootstrapServers = "other.example:9093";
        connection.registryUrl = "https://other-registry.example";
        assertThat(connection.kafka())
                .containsEntry("bootstrap.servers", "other.example:9093")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(connection.registry().url()).isEqualTo("https://other-registry.example");
    }

    @Test
    void withoutTheFileTheDeadLetterCommandsGoWhereTheyAlwaysWent() {
        DlqCommand.Connection connection = new DlqCommand.Connection();
        connection.variables = Map.<String, String>of()::get;
        assertThat(connection.kafka()).isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092"));
        assertThat(connection.registry().url()).isEqualTo("http://127.0.0.1:8086");
        connection.variables =
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "SCHEMA_REGISTRY_URL", "http://r:1")::get;
        assertThat(connection.kafka()).isEqualTo(Map.of("bootstrap.servers", "kafka:9092"));
        assertThat(connection.registry().url()).isEqualTo("http://r:1");
    }

    @Test
    void theStackStartsNoBrokerAndNoRegistryForTheOnesTheFileNames() throws IOException {
        Path file = securedCluster();
        StackSettings settings = KafkaNodes.settings(Map.of(ClientConfig.VARIABLE, file.toString()), 1);
        assertThat(settings.externalKafka()).contains("broker.example:9093");
        assertThat(settings.externalSchemaRegistry()).contains("https://registry.example");
        assertThat(KafkaNodes.clientEnvironment(
                        ClientConfig.fromEnvironment(Map.of(ClientConfig.VARIABLE, file.toString())::get)))
                .isEqualTo(Map.of(ClientConfig.VARIABLE, file.toAbsolutePath().toString()));
    }

    @Test
    void withoutTheFileTheStackIsWhatTheVariablesSay() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "ORDERFLOW_HOME", "/tmp/of");
        assertThat(KafkaNodes.settings(env, 1)).isEqualTo(StackSettings.fromEnvironment(env));
        assertThat(KafkaNodes.settings(Map.of(), 3))
                .isEqualTo(StackSettings.fromEnvironment(Map.of()).withBrokers(3));
        assertThat(KafkaNodes.clientEnvironment(ClientConfig.NONE)).isEmpty();
    }

    @Test
    void aSecuredKafkaTheEmbeddedBrokerOrRegistryWouldStandInForIsRefused() throws IOException {
        Path noBroker = file("security.protocol=SASL_SSL", "schema.registry.url=https://registry.example");
        assertThatThrownBy(() -> KafkaNodes.settings(Map.of(ClientConfig.VARIABLE, noBroker.toString()), 1))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageStartingWith("ORDERFLOW_CLIENT_CONFIG (" + noBroker.toAbsolutePath()
                        + ") sets security.protocol but no bootstrap.servers: the local broker speaks PLAINTEXT");
        Path noRegistry = file("bootstrap.servers=broker.example:9093", "security.protocol=SASL_SSL");
        assertThatThrownBy(() -> KafkaNodes.settings(Map.of(ClientConfig.VARIABLE, noRegistry.toString()), 1))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("names a secured Kafka but no schema.registry.url");
        assertThat(KafkaNodes.settings(
                                Map.of(
                                        ClientConfig.VARIABLE,
                                        noRegistry.toString(),
                                        "SCHEMA_REGISTRY_URL",
                                        "https://registry.example"),
                                1)
                        .externalSchemaRegistry())
                .isEqualTo(Optional.of("https://registry.example"));
    }
}
