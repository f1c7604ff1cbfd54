package io.orderflow.registry;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Avro schema registry over HTTP, keeping its schemas in a compacted Kafka topic. Run it
 * embedded ({@link #start}) or as a process ({@link #main}); with several instances only one may write, as with
 * Confluent's registry, whose leader election this one does not implement. It serves HTTPS and requires HTTP basic
 * authentication when its {@link Settings} say so.
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
     * Starts a registry on {@code port} (0 for any free one), loading what the topic already holds, on a Kafka
     * reached with its bootstrap servers alone.
     */
    public static SchemaRegistryServer start(String bootstrapServers, int port, Settings settings) {
        return start(Map.of("bootstrap.servers", bootstrapServers), port, settings);
    }

    /**
     * Starts a registry on {@code port} (0 for any free one), loading what the topic already holds.
     *
     * @param kafka the Kafka client settings of the cluster that holds the schemas topic: bootstrap servers, and
     *              security and any other client setting it needs
     */
    public static SchemaRegistryServer start(Map<String, ?> kafka, int port, Settings settings) {
        // Read before anything is started: a keystore that cannot be used is the caller's mistake, said at once.
        Optional<SSLContext> tls = settings.tls().map(Tls::sslContext);
        SchemaLog schemaLog = new SchemaLog(kafka, settings.topic(), settings.replicationFactor());
        try {
            SchemaRegistry registry = new SchemaRegistry(schemaLog, settings.defaultLevel());
            // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body
            // waits for the client's delayed ACK, about 40 ms per request. Read once per JVM, so set before any
            // server of this JVM starts.
            System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            HttpServer http;
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
                http = https;
            } else {
                http = HttpServer.create(address, 64);
            }
            ExecutorService workers = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "schema-registry-http");
                thread.setDaemon(true);
                return thread;
            });
            http.setExecutor(workers);
            HttpContext api = http.createContext("/", new RegistryHttpApi(registry));
            if (!settings.users().isEmpty()) {
                api.getFilters().add(new BasicAuthentication(settings.users()));
            }
            http.start();
            SchemaRegistryServer server = new SchemaRegistryServer(http, workers, schemaLog);
            log.info(
                    "Schema registry on {} (topic {}, default compatibility {}{})",
                    server.url(),
                    settings.topic(),
                    settings.defaultLevel(),
                    settings.users().isEmpty()
                            ? ""
                            : ", basic authentication for " + settings.users().size() + " user(s)");
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

    /** Where clients reach it: https when it serves TLS. */
    public String url() {
        return (http instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
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
     * Where the schemas are kept, the compatibility level that applies until one is configured, and who may use it.
     *
     * @param tls   serve HTTPS with this key and certificate; plain HTTP when empty
     * @param users name and password of each user; when there is any, every request needs HTTP basic authentication
     */
    public record Settings(
            String topic,
            short replicationFactor,
            CompatibilityLevel defaultLevel,
            Optional<Tls> tls,
            Map<String, String> users) {

        public Settings {
            users = Map.copyOf(users);
        }

        /** Plain HTTP, no users. */
        public Settings(String topic, short replicationFactor, CompatibilityLevel defaultLevel) {
            this(topic, replicationFactor, defaultLevel, Optional.empty(), Map.of());
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_TOPIC, (short) 1, CompatibilityLevel.BACKWARD);
        }

        /** The schemas topic on a replicated cluster: this many replicas, and two needed for a write. */
        public Settings withReplicationFactor(short replicas) {
            return new Settings(topic, replicas, defaultLevel, tls, users);
        }

        /** HTTPS with the key and certificate of a PKCS12 keystore. */
        public Settings withTls(Path keystore, String password) {
            return new Settings(
                    topic, replicationFactor, defaultLevel, Optional.of(new Tls(keystore, password)), users);
        }

        /** Every request needs HTTP basic authentication as one of these users (name to password). */
        public Settings withUsers(Map<String, String> users) {
            return new Settings(topic, replicationFactor, defaultLevel, tls, users);
        }

        @Override
        public String toString() {
            return "Settings[topic=" + topic + ", replicationFactor=" + replicationFactor + ", defaultLevel="
                    + defaultLevel + ", tls=" + tls.map(Tls::toString).orElse("none") + ", users="
                    + new TreeSet<>(users.keySet()) + "]";
        }
    }

    /**
     * The server's key and certificate, in a PKCS12 keystore whose key has the store's password.
     */
    public record Tls(Path keystore, String password) {

        /**
         * @throws IllegalArgumentException when the keystore cannot be read or holds no key
         */
        SSLContext sslContext() {
            char[] secret = password == null ? new char[0] : password.toCharArray();
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, secret);
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, secret);
                if (keys.getKeyManagers().length == 0) {
                    throw new IllegalArgumentException("keystore " + keystore + " holds no key");
                }
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("keystore " + keystore + " does not exist");
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new IllegalArgumentException(
                            "keystore " + keystore + " cannot be opened with the password given: is it right?");
                }
                throw new IllegalArgumentException(
                        "keystore " + keystore + " is not a readable PKCS12 file: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("keystore " + keystore + " cannot be used: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return keystore + " (PKCS12, password hidden)";
        }
    }

    /**
     * Runs a registry until the process is stopped. Environment: {@code KAFKA_BOOTSTRAP_SERVERS} and
     * {@code ORDERFLOW_CLIENT_CONFIG} (the Kafka client settings of a file in Kafka's client format, such as a
     * secured cluster's; its registry settings are a client's, not read here; the variable wins over the file's
     * bootstrap servers; one of them is required), {@code SCHEMA_REGISTRY_PORT} (8086),
     * {@code SCHEMA_REGISTRY_TOPIC} (_schemas), {@code SCHEMA_REGISTRY_REPLICATION_FACTOR} (1),
     * {@code SCHEMA_REGISTRY_TLS_KEYSTORE} and {@code SCHEMA_REGISTRY_TLS_KEYSTORE_PASSWORD} (HTTPS with the key of
     * this PKCS12 keystore), {@code SCHEMA_REGISTRY_USERS_FILE} (a properties file of {@code user=password}: basic
     * authentication on every request).
     */
    public static void main(String[] args) throws InterruptedException {
        SchemaRegistryServer server;
        try {
            Map<String, String> env = System.getenv();
            Map<String, Object> kafka = kafkaClientConfig(env);
            int port = Integer.parseInt(env.getOrDefault("SCHEMA_REGISTRY_PORT", String.valueOf(DEFAULT_PORT)));
            Settings settings = new Settings(
                    env.getOrDefault("SCHEMA_REGISTRY_TOPIC", DEFAULT_TOPIC),
                    Short.parseShort(env.getOrDefault("SCHEMA_REGISTRY_REPLICATION_FACTOR", "1")),
                    CompatibilityLevel.BACKWARD);
            String keystore = env.get(TLS_KEYSTORE);
            if (keystore != null && !keystore.isBlank()) {
                settings = settings.withTls(Path.of(keystore), env.get(TLS_KEYSTORE_PASSWORD));
            }
            String users = env.get(USERS_FILE);
            if (users != null && !users.isBlank()) {
                settings = settings.withUsers(users(USERS_FILE, Path.of(users)));
            }
            server = start(kafka, port, settings);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
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

    static final String CLIENT_CONFIG = "ORDERFLOW_CLIENT_CONFIG";
    static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    static final String TLS_KEYSTORE = "SCHEMA_REGISTRY_TLS_KEYSTORE";
    static final String TLS_KEYSTORE_PASSWORD = "SCHEMA_REGISTRY_TLS_KEYSTORE_PASSWORD";
    static final String USERS_FILE = "SCHEMA_REGISTRY_USERS_FILE";

    /**
     * The Kafka client settings of the environment: those of the file {@value #CLIENT_CONFIG} names without the
     * registry client's ({@code schema.registry.*}, {@code basic.auth.*}), with {@value #BOOTSTRAP_SERVERS} on top.
     *
     * @throws IllegalArgumentException when the file cannot be read, or no bootstrap servers are given
     */
    static Map<String, Object> kafkaClientConfig(Map<String, String> env) {
        Map<String, Object> kafka = new TreeMap<>();
        String file = env.get(CLIENT_CONFIG);
        if (file != null && !file.isBlank()) {
            properties(CLIENT_CONFIG, Path.of(file.trim())).forEach((key, value) -> {
                if (!key.startsWith("schema.registry.") && !key.startsWith("basic.auth.")) {
                    kafka.put(key, value);
                }
            });
        }
        String bootstrap = env.get(BOOTSTRAP_SERVERS);
        if (bootstrap != null && !bootstrap.isBlank()) {
            kafka.put("bootstrap.servers", bootstrap.trim());
        }
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("set " + BOOTSTRAP_SERVERS + " (or bootstrap.servers in the file "
                    + CLIENT_CONFIG + " names) to the Kafka cluster that holds the schemas topic");
        }
        return kafka;
    }

    /** The users of a properties file: one {@code user=password} a line. */
    static Map<String, String> users(String variable, Path file) {
        Map<String, String> users = properties(variable, file);
        if (users.isEmpty()) {
            throw new IllegalArgumentException(variable + " names " + file + ", which holds no user (user=password)");
        }
        return users;
    }

    private static Map<String, String> properties(String variable, Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(variable + " names " + file + ", which does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " names " + file + ", which cannot be read: "
                    + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
        }
        Map<String, String> settings = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(key ->
                        settings.put(key.trim(), properties.getProperty(key).trim()));
        return settings;
    }
}
