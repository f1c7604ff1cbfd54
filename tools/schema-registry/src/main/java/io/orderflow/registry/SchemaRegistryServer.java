package io.orderflow.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Avro schema registry over HTTP, keeping its schemas in a compacted Kafka topic. Run it
 * embedded ({@link #start}) or as a process ({@link #main}); with several instances only one may write, as with
 * Confluent's registry, whose leader election this one does not implement.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8086;
    public static final String DEFAULT_TOPIC = "_schemas";

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final HttpServer http;
    private final ExecutorService workers;
    private final SchemaLog schemaLog;

    private SchemaRegistryServer(HttpServer http, ExecutorService workers, SchemaLog schemaLog) {
        this.http = http;
        this.workers = workers;
        this.schemaLog = schemaLog;
    }

    /**
     * Starts a registry on {@code port} (0 for any free one), loading what the topic already holds.
     */
    public static SchemaRegistryServer start(String bootstrapServers, int port, Settings settings) {
        SchemaLog schemaLog = new SchemaLog(bootstrapServers, settings.topic(), settings.replicationFactor());
        try {
            SchemaRegistry registry = new SchemaRegistry(schemaLog, settings.defaultLevel());
            // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body
            // waits for the client's delayed ACK, about 40 ms per request. Read once per JVM, so set before any
            // server of this JVM starts.
            System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            ExecutorService workers = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "schema-registry-http");
                thread.setDaemon(true);
                return thread;
            });
            http.setExecutor(workers);
            http.createContext("/", new RegistryHttpApi(registry));
            http.start();
            SchemaRegistryServer server = new SchemaRegistryServer(http, workers, schemaLog);
            log.info(
                    "Schema registry on {} (topic {}, default compatibility {})",
                    server.url(),
                    settings.topic(),
                    settings.defaultLevel());
            return server;
        } catch (IOException e) {
            schemaLog.close();
            throw new UncheckedIOException("cannot listen on port " + port, e);
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        schemaLog.close();
    }

    /**
     * Where the schemas are kept and the compatibility level that applies until one is configured.
     */
    public record Settings(String topic, short replicationFactor, CompatibilityLevel defaultLevel) {
        public static Settings defaults() {
            return new Settings(DEFAULT_TOPIC, (short) 1, CompatibilityLevel.BACKWARD);
        }

        /** The schemas topic on a replicated cluster: this many replicas, and two needed for a write. */
        public Settings withReplicationFactor(short replicas) {
            return new Settings(topic, replicas, defaultLevel);
        }
    }

    /**
     * Runs a registry until the process is stopped. Environment: {@code KAFKA_BOOTSTRAP_SERVERS} (required),
     * {@code SCHEMA_REGISTRY_PORT} (8086), {@code SCHEMA_REGISTRY_TOPIC} (_schemas),
     * {@code SCHEMA_REGISTRY_REPLICATION_FACTOR} (1).
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            System.err.println("set KAFKA_BOOTSTRAP_SERVERS to the Kafka cluster that holds the schemas topic");
            System.exit(2);
        }
        int port = Integer.parseInt(env.getOrDefault("SCHEMA_REGISTRY_PORT", String.valueOf(DEFAULT_PORT)));
        Settings settings = new Settings(
                env.getOrDefault("SCHEMA_REGISTRY_TOPIC", DEFAULT_TOPIC),
                Short.parseShort(env.getOrDefault("SCHEMA_REGISTRY_REPLICATION_FACTOR", "1")),
                CompatibilityLevel.BACKWARD);
        SchemaRegistryServer server = start(bootstrap, port, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "schema-registry-shutdown"));
        System.out.println("schema registry listening on " + server.url());
        stopped.await();
    }
}
