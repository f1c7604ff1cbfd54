package io.orderflow.devstack;

import io.orderflow.registry.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The schema registry as a process of its own, as it runs in production: for tests proving that services need
 * nothing from the registry but its HTTP API.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    private static final String ROLE = "schema-registry";

    private final Process process;
    private final int port;

    private SchemaRegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry keeping its schemas in {@code topic} and waits until it answers. */
    public static SchemaRegistryProcess start(String bootstrapServers, String topic, Path log, Duration timeout) {
        int port = Ports.free();
        Process process = JavaProcess.start(
                ROLE,
                SchemaRegistryServer.class.getName(),
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=orderflow-broker-logback.xml"),
                List.of(),
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        bootstrapServers,
                        "SCHEMA_REGISTRY_PORT",
                        String.valueOf(port),
                        "SCHEMA_REGISTRY_TOPIC",
                        topic),
                log);
        SchemaRegistryProcess registry = new SchemaRegistryProcess(process, port);
        registry.awaitReady(timeout, log);
        return registry;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path log) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the schema registry exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> answer = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
        }
        close();
        throw new IllegalStateException("the schema registry did not answer within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
