package io.orderflow.devstack;

import io.orderflow.auth.AuthServerApplication;
import io.orderflow.auth.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stack's OAuth2 / OpenID Connect authorization server ({@link AuthServerApplication}) in a JVM of its own,
 * issuer {@code http://127.0.0.1:<port>}. Everything it keeps lives in one directory ({@code auth/} of the stack's
 * work directory), so that it survives a restart of the stack:
 *
 * <ul>
 *   <li>{@code realm.json}: its users and clients with their passwords and secrets ({@link StackRealm}), owner-only;
 *   <li>{@code signing-key.json}: the RSA key that signs the tokens, a JSON Web Key, owner-only;
 *   <li>{@code auth-server.log}, {@code auth-server.pid};
 *   <li>{@code issuer}: the issuer URI while the server runs, for the command line ({@link Tokens#forStack(Path)}).
 * </ul>
 */
public final class AuthServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuthServerProcess.class);
    private static final String ROLE = "auth-server";
    /** Its start was measured at 2-3 s on two cores with these settings; idle, it holds about 30 MB of heap. */
    private static final List<String> JVM_OPTIONS =
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    public static final String SIGNING_KEY_FILE = "signing-key.json";
    public static final String ISSUER_FILE = "issuer";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path directory;
    private final int port;
    private Process process;
    private Instant launched;

    private AuthServerProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts the server on {@code port} with its files in {@code directory} (the realm made first when missing) and
     * waits until it answers.
     */
    public static AuthServerProcess start(Path directory, int port) {
        AuthServerProcess server = launch(directory, port);
        server.awaitReady(START_TIMEOUT);
        return server;
    }

    /** The process is started; {@link #awaitReady(Duration)} waits for it to answer. */
    static AuthServerProcess launch(Path directory, int port) {
        UnitTestGuard.refuseInUnitTests("the auth server");
        SecretFiles.directory(directory);
        StackRealm.ensure(directory);
        AuthServerProcess server = new AuthServerProcess(directory, port);
        // One left running by a killed launcher holds the preferred port.
        PidFile.stopLeftover(server.pidFile(), "an auth server", JavaProcess.roleMark(ROLE));
        server.launchProcess();
        return server;
    }

    private void launchProcess() {
        deleteIssuerFile();
        launched = Instant.now();
        process = JavaProcess.start(
                ROLE,
                AuthServerApplication.class.getName(),
                JVM_OPTIONS,
                List.of(),
                Map.of(
                        AuthServerApplication.PORT,
                        String.valueOf(port),
                        AuthServerApplication.REALM,
                        realmFile().toString(),
                        AuthServerApplication.SIGNING_KEY,
                        signingKey().toString()),
                log());
        PidFile.write(pidFile(), process.pid());
    }

    /**
     * Waits until the server publishes its OpenID configuration with this issuer, and its key set holds the key of
     * {@link #signingKey()} (not another server's, which might hold the port); then writes the {@code issuer} file.
     */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the auth server exited with " + process.exitValue()
                        + " while starting; the end of its log " + log() + ":\n" + logTail());
            }
            try {
                if (answersAsItself()) {
                    Files.writeString(issuerFile(directory), issuerUri() + System.lineSeparator());
                    log.info(
                            "Auth server ready at {}, {} ms after its launch (pid {})",
                            issuerUri(),
                            Duration.between(launched, Instant.now()).toMillis(),
                            process.pid());
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the auth server", e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the auth server", e);
            }
        }
        stop();
        throw new IllegalStateException("the auth server did not answer at " + issuerUri() + " within " + timeout
                + "; the end of its log " + log() + ":\n" + logTail());
    }

    private boolean answersAsItself() throws IOException, InterruptedException {
        HttpResponse<String> discovery = get("/.well-known/openid-configuration");
        if (discovery.statusCode() != 200) {
            return false;
        }
        String issuer = readTree(discovery.body()).path("issuer").asString("");
        HttpResponse<String> keys = get("/oauth2/jwks");
        String kid = Files.exists(signingKey()) ? SigningKey.read(signingKey()).getKeyID() : null;
        boolean ownKey = keys.statusCode() == 200
                && kid != null
                && readTree(keys.body())
                        .path("keys")
                        .valueStream()
                        .anyMatch(key -> kid.equals(key.path("kid").asString("")));
        if (!issuer.equals(issuerUri()) || !ownKey) {
            throw new IllegalStateException("port " + port + " is answered by another server than the auth server"
                    + " (pid " + process.pid() + ") started with " + directory + ": issuer " + issuer);
        }
        return true;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return JSON.missingNode();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(issuerUri() + path))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The last lines of the server's log, for a failure's message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    /** {@code http://127.0.0.1:<port>}: the {@code iss} of its tokens and where its OpenID configuration is. */
    public String issuerUri() {
        return "http://127.0.0.1:" + port;
    }

    public Path directory() {
        return directory;
    }

    public Path realmFile() {
        return directory.resolve(StackRealm.FILE);
    }

    /**
     * The JSON Web Key file holding the private key that signs every token ({@link SigningKey#read(Path)} reads it):
     * for negative tests that need tokens the server would have signed, but expired, for another audience, or
     * with other roles. Nothing else should read it.
     */
    public Path signingKey() {
        return directory.resolve(SIGNING_KEY_FILE);
    }

    public Path log() {
        return directory.resolve("auth-server.log");
    }

    private Path pidFile() {
        return directory.resolve("auth-server.pid");
    }

    /** The file naming the issuer of the server running with its files in {@code directory}, while it runs. */
    public static Path issuerFile(Path directory) {
        return directory.resolve(ISSUER_FILE);
    }

    /** The issuer the {@code issuer} file in {@code directory} names: that of a running server, or a killed one. */
    public static Optional<String> writtenIssuer(Path directory) {
        Path file = issuerFile(directory);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the server and starts it again on the same port with the same realm and key; waits until it answers. */
    public void restart() {
        stop();
        launchProcess();
        awaitReady(START_TIMEOUT);
    }

    /** SIGTERM and its graceful shutdown; SIGKILL when it has not ended after 10 s. */
    public void stop() {
        deleteIssuerFile();
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                log.warn("The auth server did not stop within 10 s; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void deleteIssuerFile() {
        try {
            Files.deleteIfExists(issuerFile(directory));
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", issuerFile(directory), e.toString());
        }
    }
}
