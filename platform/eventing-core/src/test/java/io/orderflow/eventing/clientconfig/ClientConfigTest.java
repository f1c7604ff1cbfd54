package io.orderflow.eventing.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one client configuration file: split into Kafka's settings and the registry's, checked, never shown whole. */
class ClientConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"orderflow\" password=\"kafka-secret\";";

    @TempDir
    Path directory;

    private final TestCertificates certificates = TestCertificates.get();

    /** What Confluent Cloud hands out, with a private CA for the broker and the registry. */
    private Path confluentStyleFile() throws IOException {
        return file(
                "bootstrap.servers=broker-1.example:9093,broker-2.example:9093",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=" + JAAS,
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certificates.serverPem(),
                "client.dns.lookup=use_all_dns_ips",
                "# the registry",
                "schema.registry.url=https://registry.example:8081",
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=orderflow-sr:registry-secret",
                "schema.registry.ssl.truststore.location=" + certificates.serverTruststorePkcs12(),
                "schema.registry.ssl.truststore.type=PKCS12",
                "schema.registry.ssl.truststore.password=" + TestCertificates.PASSWORD);
    }

    private Path file(String... lines) throws IOException {
        Path file = directory.resolve("client-" + System.nanoTime() + ".properties");
        Files.write(file, java.util.List.of(lines));
        return file;
    }

    private static ClientConfig fromEnvironment(Map<String, String> variables) {
        return ClientConfig.fromEnvironment(variables::get);
    }

    @Test
    void theRegistrysSettingsAreSplitFromTheKafkaClientsWhichGetEveryOtherSettingAsItIs() throws IOException {
        ClientConfig config = fromEnvironment(
                Map.of(ClientConfig.VARIABLE, confluentStyleFile().toString()));

        assertThat(config.kafka())
                .containsOnlyKeys(
                        "bootstrap.servers",
                        "security.protocol",
                        "sasl.mechanism",
                        "sasl.jaas.config",
                        "ssl.truststore.type",
                        "ssl.truststore.location",
                        "client.dns.lookup")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.bootstrapServers()).contains("broker-1.example:9093,broker-2.example:9093");
        assertThat(config.hasKafkaSettings()).isTrue();
        assertThat(config.securesKafka()).isTrue();
        assertThat(config.registryUrl()).contains("https://registry.example:8081");
        RegistryAccess access = config.registryAccess();
        assertThat(access.user()).contains("orderflow-sr");
        assertThat(access.authorization()).contains("Basic b3JkZXJmbG93LXNyOnJlZ2lzdHJ5LXNlY3JldA==");
        assertThat(access.trusted()).hasValueSatisfying(truststore -> {
            assertThat(truststore.location()).isEqualTo(certificates.serverTruststorePkcs12());
            assertThat(truststore.type()).isEqualTo("PKCS12");
        });
        assertThat(access.sslContext()).isPresent();
        assertThat(config.file()).contains(config.file().orElseThrow().toAbsolutePath());
    }

    @Test
    void theLocalStacksVariablesWinOverTheFilesBootstrapServersAndRegistryUrl() throws IOException {
        Map<String, String> variables = new HashMap<>();
        variables.put(ClientConfig.VARIABLE, confluentStyleFile().toString());
        variables.put(ClientConfig.BOOTSTRAP_VARIABLE, "127.0.0.1:9092");
        variables.put(ClientConfig.REGISTRY_VARIABLE, "https://127.0.0.1:8086");

        ClientConfig config = fromEnvironment(variables);

        assertThat(config.bootstrapServers()).contains("127.0.0.1:9092");
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(config.kafka()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.registryUrl()).contains("https://127.0.0.1:8086");
        assertThat(config.registryAccess().user()).contains("orderflow-sr");
        assertThat(config.kafka("10.0.0.1:9092")).containsEntry("bootstrap.servers", "10.0.0.1:9092");
    }

    @Test
    void withoutTheFileTheVariablesAreAllThereIs() {
        assertThat(fromEnvironment(Map.of())).satisfies(none -> {
            assertThat(none.kafka()).isEmpty();
            assertThat(none.file()).isEmpty();
            assertThat(none.registryUrl()).isEmpty();
            assertThat(none.registryAccess()).isEqualTo(RegistryAccess.NONE);
        });
        ClientConfig variables = fromEnvironment(Map.of(
                ClientConfig.VARIABLE, " ",
                ClientConfig.BOOTSTRAP_VARIABLE, "kafka:9092",
                ClientConfig.REGISTRY_VARIABLE, "http://registry:8081"));
        assertThat(variables.kafka()).isEqualTo(Map.of("bootstrap.servers", "kafka:9092"));
        assertThat(variables.hasKafkaSettings()).isFalse();
        assertThat(variables.securesKafka()).isFalse();
        assertThat(variables.registryUrl()).contains("http://registry:8081");
        assertThat(variables.file()).isEmpty();
    }

    @Test
    void confluentsPrefixedSpellingOfTheBasicAuthSettingsIsTakenToo() throws IOException {
        ClientConfig config = ClientConfig.load(file(
                "schema.registry.basic.auth.credentials.source=USER_INFO",
                "schema.registry.basic.auth.user.info=key:secret"));
        assertThat(config.registryAccess().user()).contains("key");
        assertThat(config.kafka()).isEmpty();
    }

    @Test
    void noSecretIsEverShown() throws IOException {
        ClientConfig config = fromEnvironment(
                Map.of(ClientConfig.VARIABLE, confluentStyleFile().toString()));
        String shown = config.toString();
        assertThat(shown)
                .contains("SASL_SSL", "orderflow-sr", "https://registry.example:8081", Secrets.HIDDEN)
                .doesNotContain("kafka-secret", "registry-secret", TestCertificates.PASSWORD, "ScramLoginModule");
        assertThat(config.registryAccess().toString()).doesNotContain("registry-secret");
        assertThat(config.registryAccess().trusted().orElseThrow().toString())
                .doesNotContain(TestCertificates.PASSWORD);
        assertThat(Secrets.redacted(Map.of(
                        "ssl.keystore.password", "a",
                        "ssl.key.password", "b",
                        "sasl.oauthbearer.client.credentials.client.secret", "c",
                        "ssl.keystore.key", "d",
                        "acks", "all")))
                .isEqualTo(Map.of(
                        "ssl.keystore.password", Secrets.HIDDEN,
                        "ssl.key.password", Secrets.HIDDEN,
                        "sasl.oauthbearer.client.credentials.client.secret", Secrets.HIDDEN,
                        "ssl.keystore.key", Secrets.HIDDEN,
                        "acks", "all"));
    }

    @Test
    void aMissingFileIsNamedWithTheVariableThatNamesIt() {
        Path missing = directory.resolve("nowhere/client.properties");
        assertThatThrownBy(() -> fromEnvironment(Map.of(ClientConfig.VARIABLE, missing.toString())))
                .isInstanceOf(ClientConfigException.class)
                .hasMessage("ORDERFLOW_CLIENT_CONFIG names " + missing + ", which does not exist");
        assertThatThrownBy(() -> fromEnvironment(Map.of(ClientConfig.VARIABLE, directory.toString())))
                .isInstanceOf(ClientConfigException.class)
                .hasMessage("ORDERFLOW_CLIENT_CONFIG names " + directory + ", which cannot be read: it is a directory");
    }

    @Test
    void onlyUserInfoIsACredentialsSource() throws IOException {
        Path file = file("basic.auth.credentials.source=SASL_INHERIT");
        assertThatThrownBy(() -> fromEnvironment(Map.of(ClientConfig.VARIABLE, file.toString())))
                .isInstanceOf(ClientConfigException.class)
                .hasMessage("ORDERFLOW_CLIENT_CONFIG names " + file
                        + ": basic.auth.credentials.source=SASL_INHERIT is not supported: set"
                        + " basic.auth.credentials.source=USER_INFO and basic.auth.user.info=user:password");
        assertThatThrownBy(() -> ClientConfig.load(file("basic.auth.credentials.source=USER_INFO")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageEndingWith(": basic.auth.credentials.source=USER_INFO needs"
                        + " basic.auth.user.info=user:password, which is missing");
    }

    @Test
    void aBlankSettingIsRefusedNamingIt() throws IOException {
        // a blank bootstrap.servers would otherwise pass for an external Kafka, and a blank security setting reach it
        for (String blank : List.of("bootstrap.servers=", "security.protocol=  ", "schema.registry.url=")) {
            assertThatThrownBy(() -> ClientConfig.load(file("sasl.mechanism=SCRAM-SHA-512", blank)))
                    .isInstanceOf(ClientConfigException.class)
                    .hasMessageContaining(blank.substring(0, blank.indexOf('=')) + " is blank");
        }
        // except where blank is Kafka's way to say something: no host-name verification
        assertThat(ClientConfig.load(file("ssl.endpoint.identification.algorithm="))
                        .kafka())
                .containsEntry("ssl.endpoint.identification.algorithm", "");
    }

    @Test
    void userInfoWithoutAColonIsRefusedWithoutShowingIt() throws IOException {
        assertThatThrownBy(() -> ClientConfig.load(file("basic.auth.user.info=just-a-secret")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("basic.auth.user.info must be user:password")
                .hasMessageNotContaining("just-a-secret");
        assertThatThrownBy(() -> new RegistryAccess("just-a-secret", null))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageNotContaining("just-a-secret");
    }

    @Test
    void aTruststoreThatCannotBeReadIsSaidSoWithTheSettingThatNamesIt() throws IOException {
        Path missing = directory.resolve("ca.pem");
        assertThatThrownBy(() -> ClientConfig.load(file(
                        "schema.registry.ssl.truststore.location=" + missing,
                        "schema.registry.ssl.truststore.type=PEM")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageEndingWith(
                        ": schema.registry.ssl.truststore.location: truststore " + missing + " does not exist");
        assertThatThrownBy(() -> ClientConfig.load(file(
                        "schema.registry.ssl.truststore.location=" + certificates.serverTruststorePkcs12(),
                        "schema.registry.ssl.truststore.type=PKCS12",
                        "schema.registry.ssl.truststore.password=wrong-password")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("cannot be opened with the password given")
                .hasMessageNotContaining("wrong-password");
        Path garbage = file("not a certificate");
        assertThatThrownBy(() -> ClientConfig.load(file(
                        "schema.registry.ssl.truststore.location=" + garbage,
                        "schema.registry.ssl.truststore.type=PEM")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location: truststore " + garbage);
        assertThatThrownBy(() -> ClientConfig.load(file(
                        "schema.registry.ssl.truststore.location=" + certificates.serverPem(),
                        "schema.registry.ssl.truststore.type=BCFKS")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining(
                        "truststore type BCFKS of " + certificates.serverPem() + " is not one of PEM, PKCS12, JKS");
        assertThatThrownBy(() -> ClientConfig.load(file(
                        "ssl.truststore.type=PEM",
                        "ssl.truststore.location=" + certificates.serverPem(),
                        "ssl.truststore.password=kafka-store-secret")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("ssl.truststore.password is set with ssl.truststore.type=PEM")
                .hasMessageNotContaining("kafka-store-secret");
        assertThatThrownBy(() -> ClientConfig.load(file("ssl.truststore.location=" + missing)))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageEndingWith(": ssl.truststore.location: truststore " + missing + " does not exist");
    }

    @Test
    void everyTruststoreTypeIsRead() {
        for (Truststore truststore : java.util.List.of(
                new Truststore(certificates.serverPem(), "pem", null),
                new Truststore(certificates.serverTruststorePkcs12(), "PKCS12", TestCertificates.PASSWORD),
                new Truststore(certificates.serverTruststoreJks(), "JKS", TestCertificates.PASSWORD),
                Truststore.of(certificates.serverTruststoreJks(), TestCertificates.PASSWORD))) {
            assertThat(truststore.load())
                    .as(truststore.toString())
                    .satisfies(store -> assertThat(store.size()).isEqualTo(1));
            assertThat(truststore.sslContext()).isNotNull();
        }
    }

    @Test
    void registrySettingsThisClientDoesNotTakeAreRefusedRatherThanIgnored() throws IOException {
        assertThatThrownBy(() -> ClientConfig.load(file("schema.registry.ssl.keystore.location=/client.p12")))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageEndingWith(": schema.registry.ssl.keystore.location is not supported: the registry client"
                        + " takes schema.registry.url, basic.auth.credentials.source, basic.auth.user.info,"
                        + " schema.registry.ssl.truststore.location, schema.registry.ssl.truststore.type,"
                        + " schema.registry.ssl.truststore.password");
    }
}
