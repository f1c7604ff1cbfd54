package io.orderflow.eventing.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.registry.SchemaRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The registry over HTTPS with users, and the real client against it, configured as a deployment configures it:
 * from the file {@code ORDERFLOW_CLIENT_CONFIG} names. One registry for the class.
 */
class SecuredSchemaRegistryIT {

    private static final TestCertificates certificates = TestCertificates.get();
    private static final SchemaRegistryServer registry = SchemaRegistryServer.start(
            TestStack.get().bootstrapServers(),
            0,
            SchemaRegistryServer.Settings.defaults()
                    .withTls(certificates.serverKeystore(), TestCertificates.PASSWORD)
                    .withUsers(Map.of("orderflow", "registry-secret", "reader", "reader-secret")));

    private final Schema schema = CounterIncremented.getClassSchema();
    private final String subject = "secured-" + UUID.randomUUID() + "-CounterIncremented";

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** A client made as every client of the system makes one: from the client configuration file. */
    private static SchemaRegistryClient client(String... registrySettings) throws Exception {
        Path file = Files.createTempFile("client-", ".properties");
        try {
            Files.write(file, List.of(registrySettings));
            ClientConfig config = ClientConfig.fromEnvironment(Map.of(
                    ClientConfig.VARIABLE, file.toString(), ClientConfig.REGISTRY_VARIABLE, registry.url())::get);
            return new SchemaRegistryClient(
                    config.registryUrl().orElseThrow(), Duration.ofSeconds(5), config.registryAccess());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theRightUserRegistersAndReadsASchemaOverHttpsTrustingThePrivateCa() throws Exception {
        assertThat(registry.url()).startsWith("https://127.0.0.1:");
        int id = client(
                        "basic.auth.credentials.source=USER_INFO",
                        "basic.auth.user.info=orderflow:registry-secret",
                        "schema.registry.ssl.truststore.type=PEM",
                        "schema.registry.ssl.truststore.location=" + certificates.serverPem())
                .register(subject, schema);

        SchemaRegistryClient reader = client(
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=reader:reader-secret",
                "schema.registry.ssl.truststore.type=PKCS12",
                "schema.registry.ssl.truststore.location=" + certificates.serverTruststorePkcs12(),
                "schema.registry.ssl.truststore.password=" + TestCertificates.PASSWORD);
        assertThat(reader.schemaById(id)).isEqualTo(schema);
        assertThat(reader.versions(subject)).containsExactly(schema);
        assertThat(reader.idOf(subject, schema)).contains(id);
    }

    @Test
    void aWrongPasswordIsAClearErrorThatNamesTheUserAndTheRegistryButNotThePassword() throws Exception {
        SchemaRegistryClient client = client(
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=orderflow:not-the-password",
                "schema.registry.ssl.truststore.type=PEM",
                "schema.registry.ssl.truststore.location=" + certificates.serverPem());
        assertThatThrownBy(() -> client.register(subject, schema))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry " + registry.url() + " refused POST /subjects/" + subject
                        + "/versions (HTTP 401): user 'orderflow' and its password were not accepted; check both"
                        + " (basic.auth.user.info=user:password in the file ORDERFLOW_CLIENT_CONFIG names)")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void noCredentialsIsAClearErrorThatSaysWhatToSet() throws Exception {
        SchemaRegistryClient client = client(
                "schema.registry.ssl.truststore.type=PEM",
                "schema.registry.ssl.truststore.location=" + certificates.serverPem());
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry " + registry.url() + " refused GET /schemas/ids/1 (HTTP 401): it requires"
                        + " a user, and none is configured; set basic.auth.credentials.source=USER_INFO and"
                        + " basic.auth.user.info=user:password in the file ORDERFLOW_CLIENT_CONFIG names");
    }

    @Test
    void aTruststoreWithoutTheServersCaIsAClearErrorThatNamesIt() throws Exception {
        SchemaRegistryClient client = client(
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=orderflow:registry-secret",
                "schema.registry.ssl.truststore.type=PEM",
                "schema.registry.ssl.truststore.location=" + certificates.otherPem());
        assertThatThrownBy(() -> client.register(subject, schema))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageStartingWith("schema registry " + registry.url() + ": TLS handshake failed (")
                .hasMessageContaining("signed by a CA in the truststore " + certificates.otherPem()
                        + " (schema.registry.ssl.truststore.location)");
        SchemaRegistryClient jdkCas = client("basic.auth.user.info=orderflow:registry-secret");
        assertThatThrownBy(() -> jdkCas.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining(
                        "signed by a CA in the JDK's CAs (schema.registry.ssl.truststore.location is" + " not set)");
    }
}
