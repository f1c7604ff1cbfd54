package io.orderflow.cli;

import io.orderflow.devstack.AuthServerProcess;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the command line proves who it is to the services: its own client credentials. Against any issuer when {@value
 * #ISSUER}, {@value #CLIENT_ID} and {@value #CLIENT_SECRET} are set (production: a client the issuer gives the
 * operators' tools, with the operator role); otherwise against the local stack that runs, as its client {@code
 * orderflow-cli}.
 */
final class CliCredentials {

    static final String ISSUER = "OAUTH2_ISSUER_URI";
    static final String CLIENT_ID = "ORDERFLOW_CLIENT_ID";
    static final String CLIENT_SECRET = "ORDERFLOW_CLIENT_SECRET";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private CliCredentials() {}

    /** The operator's token, fetched when first asked for and again shortly before it expires. */
    static Supplier<String> operator(Map<String, String> env, Path stack) {
        String issuer = env.get(ISSUER);
        String clientId = env.get(CLIENT_ID);
        String secret = env.get(CLIENT_SECRET);
        if (isSet(issuer) && isSet(clientId) && isSet(secret)) {
            URI uri = URI.create(issuer);
            boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
            if (!"https".equals(uri.getScheme()) && !loopback) {
                throw new IllegalStateException(ISSUER + " must be https (or on this machine): the client secret goes"
                        + " to it, and so would it to anyone on the way");
            }
            return new ClientCredentials(issuer, clientId, secret);
        }
        if (isSet(clientId) || isSet(secret)) {
            throw new IllegalStateException(
                    "set all of " + ISSUER + ", " + CLIENT_ID + " and " + CLIENT_SECRET + ", or none of them");
        }
        Tokens tokens = Tokens.forStack(stack != null ? stack : runningStack());
        return tokens::operator;
    }

    /**
     * The work directory of the local stack whose auth server answers: the plain one, or one with several brokers or
     * secured, which live inside it.
     */
    static Path runningStack() {
        Path home = StackSettings.fromEnvironment(System.getenv()).workDirectory();
        List<Path> running =
                candidates(home).stream().filter(CliCredentials::answers).toList();
        if (running.isEmpty()) {
            throw new IllegalStateException("no stack is running in " + home + " (start it with ./orderflow up)");
        }
        if (running.size() > 1) {
            throw new IllegalStateException("several stacks are running in " + home + " ("
                    + running.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "): choose one with --stack DIR");
        }
        return running.get(0);
    }

    /** The work directories under {@code home} whose auth server wrote its issuer file. */
    private static List<Path> candidates(Path home) {
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(home, 4)) {
            return files.filter(file -> file.getFileName().toString().equals(AuthServerProcess.ISSUER_FILE))
                    .map(Path::getParent)
                    .filter(directory -> directory.getParent() != null
                            && directory.equals(DevStack.authDirectory(directory.getParent())))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for a running stack in " + home, e);
        }
    }

    /** Whether the issuer the stack's file names answers (a killed launcher leaves the file behind). */
    private static boolean answers(Path workDirectory) {
        return AuthServerProcess.writtenIssuer(DevStack.authDirectory(workDirectory))
                .map(issuer -> {
                    try {
                        return get(issuer + "/.well-known/openid-configuration").statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                })
                .orElse(false);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static HttpResponse<String> get(String url) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The client credentials grant (RFC 6749 §4.4) at the token endpoint the issuer's metadata names. */
    private static final class ClientCredentials implements Supplier<String> {

        private final String issuer;
        private final String clientId;
        private final String secret;
        private String token;
        private Instant renewAt = Instant.MIN;

        ClientCredentials(String issuer, String clientId, String secret) {
            this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            this.clientId = clientId;
            this.secret = secret;
        }

        @Override
        public synchronized String get() {
            if (token == null || Instant.now().isAfter(renewAt)) {
                fetch();
            }
            return token;
        }

        private void fetch() {
            try {
                JsonNode metadata = JSON.readTree(CliCredentials.get(issuer + "/.well-known/openid-configuration")
                        .body());
                // RFC 8414 §3.3: metadata that names another issuer is not this issuer's, and gets no secret.
                String named = metadata.path("issuer").asString("").replaceAll("/$", "");
                if (!named.equals(issuer)) {
                    throw new IllegalStateException(
                            "the metadata at " + issuer + " names the issuer '" + named + "'; it must name " + issuer);
                }
                String endpoint = metadata.path("token_endpoint").asString("");
                if (endpoint.isEmpty()) {
                    throw new IllegalStateException("issuer " + issuer + " names no token_endpoint in its metadata");
                }
                String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(endpoint))
                                .timeout(Duration.ofSeconds(10))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(response.body());
                if (response.statusCode() != 200 || !answer.path("access_token").isString()) {
                    throw new IllegalStateException("issuer " + issuer + " refused client " + clientId + ": "
                            + response.statusCode() + " " + answer.path("error").asString(response.body()));
                }
                token = answer.path("access_token").asString();
                long lifetime = answer.path("expires_in").asLong(60);
                renewAt = Instant.now().plusSeconds(Math.max(0, lifetime - 60));
            } catch (IOException | JacksonException e) {
                throw new IllegalStateException("cannot get a token from " + issuer + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while getting a token from " + issuer, e);
            }
        }
    }
}
