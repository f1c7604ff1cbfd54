package io.orderflow.eventing.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.testevents.CounterIncremented;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client over HTTPS against a stand-in registry (no Kafka needed): the user on every request, the host
 * name checked against the certificate, a refusal for lack of permission said as such.
 */
class SchemaRegistryClientTlsTest {

    private final TestCertificates certificates = TestCertificates.get();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpsServer server;

    private String serve(Path keystore, int status, String body) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            try (exchange) {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyRequestCarriesTheUser() throws Exception {
        String url = serve(
                certificates.serverKeystore(),
                200,
                "{\"id\": 7, \"schema\": "
                        + quoted(CounterIncremented.getClassSchema().toString()) + "}");
        SchemaRegistryClient client = new SchemaRegistryClient(
                url,
                Duration.ofSeconds(5),
                new RegistryAccess("alice:alice-secret", Truststore.of(certificates.serverPem(), null)));

        assertThat(client.schemaById(7)).isEqualTo(CounterIncremented.getClassSchema());
        client.register("subject", CounterIncremented.getClassSchema());
        assertThat(authorizations).hasSize(2).containsOnly("Basic YWxpY2U6YWxpY2Utc2VjcmV0");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedEvenFromATrustedCa() throws Exception {
        String url = serve(certificates.misnamedKeystore(), 200, "{}");
        SchemaRegistryClient client = new SchemaRegistryClient(
                url, Duration.ofSeconds(5), new RegistryAccess(null, Truststore.of(certificates.misnamedPem(), null)));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageStartingWith("schema registry " + url + ": TLS handshake failed (")
                .hasMessageContaining("127.0.0.1")
                .hasMessageEndingWith("and that the certificate names the host of the URL");
        assertThat(authorizations).isEmpty();
    }

    @Test
    void aUserWithoutPermissionIsToldSo() throws Exception {
        String url = serve(certificates.serverKeystore(), 403, "{\"error_code\":40301,\"message\":\"forbidden\"}");
        SchemaRegistryClient client = new SchemaRegistryClient(
                url,
                Duration.ofSeconds(5),
                new RegistryAccess("reader:reader-secret", Truststore.of(certificates.serverPem(), null)));

        assertThatThrownBy(() -> client.register("orders.events-Order", CounterIncremented.getClassSchema()))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry " + url + " refused POST /subjects/orders.events-Order/versions (HTTP"
                        + " 403): user 'reader' is not allowed to do this; grant it access to the registry's"
                        + " subjects, or use another user");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
