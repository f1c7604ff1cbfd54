package io.orderflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's HTTP basic authentication in front of a stand-in for its API (the API itself needs Kafka), and how
 * its process reads its users and its Kafka client settings.
 */
class BasicAuthenticationTest {

    private final HttpServer server = serve();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    private static HttpServer serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/", exchange -> {
                        try (exchange) {
                            exchange.sendResponseHeaders(200, 2);
                            exchange.getResponseBody().write("[]".getBytes(StandardCharsets.UTF_8));
                        }
                    })
                    .getFilters()
                    .add(new BasicAuthentication(Map.of("alice", "alice-secret", "bob", "bob-secret")));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/subjects"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aKnownUserWithItsPasswordGetsThrough() throws Exception {
        assertThat(get(basic("alice:alice-secret")).statusCode()).isEqualTo(200);
        assertThat(get(basic("bob:bob-secret")).body()).isEqualTo("[]");
    }

    @Test
    void aRequestWithoutAKnownUserAndItsPasswordIsAnswered401AsConfluentsRegistryDoes() throws Exception {
        for (String authorization :
                List.of(basic("alice:bob-secret"), basic("carol:alice-secret"), basic("alice:"), basic("carol:"))) {
            HttpResponse<String> refused = get(authorization);
            assertThat(refused.statusCode()).as(authorization).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"schema-registry\"");
            assertThat(refused.body())
                    .isEqualTo("{\"error_code\":401,\"message\":\"Unauthorized: unknown user or wrong password\"}");
        }
        for (String authorization : java.util.Arrays.asList(null, basic("alice"), "Bearer x", "Basic !!")) {
            HttpResponse<String> anonymous = get(authorization);
            assertThat(anonymous.statusCode()).as(authorization).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"schema-registry\"");
            assertThat(anonymous.body())
                    .isEqualTo("{\"error_code\":401,\"message\":"
                            + "\"Unauthorized: this registry requires HTTP basic authentication\"}");
        }
    }

    @Test
    void theProcessTakesTheKafkaSettingsOfTheClientFileAndNotTheRegistryClientsOnes() throws IOException {
        Path file = directory.resolve("client.properties");
        Files.write(
                file,
                List.of(
                        "bootstrap.servers=broker.example:9093",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "schema.registry.url=https://registry.example",
                        "basic.auth.credentials.source=USER_INFO",
                        "basic.auth.user.info=u:p"));
        assertThat(SchemaRegistryServer.kafkaClientConfig(Map.of("ORDERFLOW_CLIENT_CONFIG", file.toString())))
                .isEqualTo(Map.of(
                        "bootstrap.servers", "broker.example:9093",
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(SchemaRegistryServer.kafkaClientConfig(Map.of(
                        "ORDERFLOW_CLIENT_CONFIG", file.toString(), "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")))
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(SchemaRegistryServer.kafkaClientConfig(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")))
                .isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092"));
        assertThatThrownBy(() -> SchemaRegistryServer.kafkaClientConfig(Map.of()))
                .hasMessageStartingWith("set KAFKA_BOOTSTRAP_SERVERS (or bootstrap.servers in the file");
        Path missing = directory.resolve("missing.properties");
        assertThatThrownBy(() ->
                        SchemaRegistryServer.kafkaClientConfig(Map.of("ORDERFLOW_CLIENT_CONFIG", missing.toString())))
                .hasMessage("ORDERFLOW_CLIENT_CONFIG names " + missing + ", which does not exist");
    }

    @Test
    void theUsersComeFromAFileAndTheirPasswordsAreNeverShown() throws IOException {
        Path file = directory.resolve("users.properties");
        Files.write(file, List.of("alice=alice-secret", "bob = bob-secret"));
        Map<String, String> users = SchemaRegistryServer.users("SCHEMA_REGISTRY_USERS_FILE", file);
        assertThat(users).isEqualTo(Map.of("alice", "alice-secret", "bob", "bob-secret"));
        SchemaRegistryServer.Settings settings = SchemaRegistryServer.Settings.defaults()
                .withUsers(users)
                .withTls(directory.resolve("server.p12"), "store-secret");
        assertThat(settings.toString()).contains("alice", "bob", "server.p12").doesNotContain("secret");
        Files.write(file, List.of("# nobody"));
        assertThatThrownBy(() -> SchemaRegistryServer.users("SCHEMA_REGISTRY_USERS_FILE", file))
                .hasMessage("SCHEMA_REGISTRY_USERS_FILE names " + file + ", which holds no user (user=password)");
    }

    @Test
    void aKeystoreThatCannotBeUsedIsSaidSoBeforeAnythingStarts() {
        Path missing = directory.resolve("server.p12");
        assertThatThrownBy(() -> SchemaRegistryServer.start(
                        "127.0.0.1:1",
                        0,
                        SchemaRegistryServer.Settings.defaults().withTls(missing, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keystore " + missing + " does not exist");
    }
}
