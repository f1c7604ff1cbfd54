package io.orderflow.devstack;

import io.orderflow.auth.Realm;
import io.orderflow.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The infrastructure every service needs: Kafka (one broker, or a cluster of several), a PostgreSQL database and a
 * schema registry, embedded
 * unless external ones are configured, and an OAuth2 / OpenID Connect authorization server, always embedded
 * ({@link AuthServerProcess}, its realm and key in {@code auth/} of the work directory). The embedded registry runs
 * in this JVM and keeps its schemas in the broker; the auth server runs in a JVM of its own.
 * Closing it stops what it started and leaves external servers alone.
 *
 * <p>The services learn the issuer from {@value StackSettings#OAUTH2_ISSUER_URI} (or the Spring Boot property
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}). The dashboard, the one confidential client among
 * them, finds its client secret in {@value StackSettings#DASHBOARD_CLIENT_SECRET}, which {@link
 * #clientEnvironment(String)} gives the dashboard alone: its client may ask for an operator's token, which no other
 * service has any use for.
 */
public final class DevStack implements AutoCloseable {

    private final Optional<KafkaCluster> kafka;
    private final Optional<EmbeddedDatabase> database;
    private volatile Optional<SchemaRegistryServer> registry;
    private final StackSettings settings;
    private final AuthServerProcess authServer;
    private final String bootstrapServers;
    private final String schemaRegistryUrl;
    private final String jdbcUrl;
    private final String databaseUser;
    private final String databasePassword;

    private DevStack(
            Optional<KafkaCluster> kafka,
            Optional<EmbeddedDatabase> database,
            Optional<SchemaRegistryServer> registry,
            StackSettings settings,
            AuthServerProcess authServer,
            String bootstrapServers,
            String schemaRegistryUrl,
            String jdbcUrl,
            String databaseUser,
            String databasePassword) {
        this.kafka = kafka;
        this.database = database;
        this.registry = registry;
        this.settings = settings;
        this.authServer = authServer;
        this.bootstrapServers = bootstrapServers;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.jdbcUrl = jdbcUrl;
        this.databaseUser = databaseUser;
        this.databasePassword = databasePassword;
    }

    /** The variable that names a client's configuration file (the eventing library reads it). */
    public static final String CLIENT_CONFIG = "ORDERFLOW_CLIENT_CONFIG";

    private static final String REGISTRY_PRINCIPAL = "schema-registry";
    private static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    private volatile Tokens tokens;

    public static DevStack start(StackSettings settings, String brokerHeap) {
        // Its JVM starts while the rest does; it is waited for last.
        int authPort = settings.preferredAuthServerPort() == 0
                ? Ports.free()
                : Ports.preferred(settings.preferredAuthServerPort());
        AuthServerProcess authServer = AuthServerProcess.launch(authDirectory(settings.workDirectory()), authPort);
        Optional<EmbeddedDatabase> database;
        try {
            database = settings.externalDatabaseUrl().isPresent()
                    ? Optional.empty()
                    : Optional.of(
                            EmbeddedDatabase.start(settings.workDirectory().resolve("postgres"), 0));
        } catch (RuntimeException e) {
            authServer.close();
            throw e;
        }
        Optional<KafkaCluster> kafka;
        try {
            kafka = settings.externalKafka().isPresent()
                    ? Optional.empty()
                    : Optional.of(KafkaCluster.start(
                            settings.workDirectory().resolve("kafka"),
                            settings.brokers(),
                            settings.preferredKafkaPort(),
                            brokerHeap,
                            settings.secure() ? KafkaCluster.Security.SASL_SSL : KafkaCluster.Security.PLAINTEXT));
        } catch (RuntimeException e) {
            database.ifPresent(EmbeddedDatabase::close);
            authServer.close();
            throw e;
        }
        String bootstrapServers = kafka.map(KafkaCluster::bootstrapServers)
                .orElseGet(() -> settings.externalKafka().orElseThrow());
        short replication = (short) kafka.map(KafkaCluster::size).orElse(1).intValue();
        Optional<SchemaRegistryServer> registry;
        try {
            registry = settings.externalSchemaRegistry().isPresent()
                    ? Optional.empty()
                    : Optional.of(startRegistry(
                            kafka,
                            bootstrapServers,
                            settings.preferredRegistryPort() == 0
                                    ? 0
                                    : Ports.preferred(settings.preferredRegistryPort()),
                            settings,
                            SchemaRegistryServer.Settings.defaults().withReplicationFactor(replication)));
        } catch (RuntimeException e) {
            kafka.ifPresent(KafkaCluster::close);
            database.ifPresent(EmbeddedDatabase::close);
            authServer.close();
            throw e;
        }
        try {
            authServer.awaitReady(AuthServerProcess.START_TIMEOUT);
        } catch (RuntimeException e) {
            authServer.close();
            registry.ifPresent(SchemaRegistryServer::close);
            kafka.ifPresent(KafkaCluster::close);
            database.ifPresent(EmbeddedDatabase::close);
            throw e;
        }
        return new DevStack(
                kafka,
                database,
                registry,
                settings,
                authServer,
                bootstrapServers,
                registry.map(SchemaRegistryServer::url)
                        .orElseGet(() -> settings.externalSchemaRegistry().orElseThrow()),
                database.map(EmbeddedDatabase::jdbcUrl)
                        .orElseGet(() -> settings.externalDatabaseUrl().orElseThrow()),
                database.map(EmbeddedDatabase::user).orElse(settings.databaseUser()),
                database.map(EmbeddedDatabase::password).orElse(settings.databasePassword()));
    }

    /**
     * The embedded registry, in its principal's name on the cluster; on a secure one over HTTPS with a certificate of
     * the stack's CA, and every principal a user with its Kafka password.
     */
    private static SchemaRegistryServer startRegistry(
            Optional<KafkaCluster> kafka,
            String bootstrapServers,
            int port,
            StackSettings settings,
            SchemaRegistryServer.Settings registry) {
        if (kafka.isEmpty() || !kafka.get().isSecure()) {
            return SchemaRegistryServer.start(bootstrapServers, port, registry);
        }
        KafkaCluster cluster = kafka.get();
        var keystore = cluster.certificateAuthority()
                .orElseThrow()
                .issueServerKeystore(
                        settings.workDirectory()
                                .resolve("kafka")
                                .resolve("secure")
                                .resolve("schema-registry.p12"),
                        "schema-registry");
        Map<String, String> users = new LinkedHashMap<>();
        for (String principal : cluster.principals()) {
            String userInfo = String.valueOf(cluster.clientConfig(principal).get(BASIC_AUTH_USER_INFO));
            users.put(principal, userInfo.substring(userInfo.indexOf(':') + 1));
        }
        Map<String, Object> kafkaClient = new LinkedHashMap<>(cluster.clientConfig(REGISTRY_PRINCIPAL));
        kafkaClient.keySet().removeIf(key -> key.startsWith("schema.registry.") || key.startsWith("basic.auth."));
        SchemaRegistryServer server = SchemaRegistryServer.start(
                kafkaClient,
                port,
                registry.withTls(keystore.path(), keystore.password()).withUsers(users));
        cluster.useSchemaRegistry(server.url());
        return server;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether Kafka is the embedded cluster secured with SASL_SSL and ACLs, and the registry served over HTTPS. */
    public boolean isSecure() {
        return kafka.map(KafkaCluster::isSecure).orElse(false);
    }

    /**
     * What a client in another process needs beside {@link #serviceEnvironment()} to connect as {@code principal}:
     * on a secure stack {@code ORDERFLOW_CLIENT_CONFIG} naming the principal's client file; for the dashboard, its
     * client secret at the issuer.
     */
    public Map<String, String> clientEnvironment(String principal) {
        Map<String, String> env = new LinkedHashMap<>();
        if (isSecure()) {
            env.put(
                    CLIENT_CONFIG,
                    kafka.orElseThrow().clientConfigFile(principal).toString());
        }
        if (principal.equals(StackRealm.DASHBOARD_CLIENT)) {
            env.put(StackSettings.DASHBOARD_CLIENT_SECRET, dashboardClientSecret());
        }
        return env;
    }

    /** The Kafka and registry client settings of {@code principal}: bootstrap servers alone unless secure. */
    public Map<String, Object> clientConfig(String principal) {
        return kafka.map(cluster -> cluster.clientConfig(principal))
                .orElseGet(() -> Map.of("bootstrap.servers", bootstrapServers));
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /**
     * Stops the embedded registry and starts it again on the same port, for fault tests: clients see it refuse
     * connections in between, and it reads its schemas back from the broker.
     */
    public synchronized void restartSchemaRegistry() {
        SchemaRegistryServer running =
                registry.orElseThrow(() -> new IllegalStateException("the schema registry is external"));
        int port = running.port();
        running.close();
        short replication = (short) replicationFactor();
        registry = Optional.of(startRegistry(
                kafka,
                bootstrapServers,
                port,
                settings,
                SchemaRegistryServer.Settings.defaults().withReplicationFactor(replication)));
    }

    /** The embedded PostgreSQL, for fault tests that stop and start it; empty when the database is external. */
    public Optional<EmbeddedDatabase> database() {
        return database;
    }

    public boolean isSchemaRegistryEmbedded() {
        return registry.isPresent();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String databaseUser() {
        return databaseUser;
    }

    public String databasePassword() {
        return databasePassword;
    }

    /** The embedded broker (the first node of a cluster), for fault tests; empty when Kafka is external. */
    public Optional<KafkaBroker> broker() {
        return kafka.map(cluster -> cluster.nodes().get(0));
    }

    /** The embedded Kafka nodes; empty when Kafka is external. */
    public Optional<KafkaCluster> kafka() {
        return kafka;
    }

    public boolean isKafkaEmbedded() {
        return kafka.isPresent();
    }

    /** Every topic's replicas, and those a write needs, on the embedded cluster: one and one on a single node. */
    private int replicationFactor() {
        return kafka.map(KafkaCluster::size).orElse(1);
    }

    private int minInsyncReplicas() {
        return kafka.map(KafkaCluster::minInsyncReplicas).orElse(1);
    }

    public boolean isDatabaseEmbedded() {
        return database.isPresent();
    }

    /** The directory of a stack's auth server in its work directory: realm, signing key, log, issuer file. */
    public static Path authDirectory(Path workDirectory) {
        return workDirectory.resolve("auth");
    }

    /** The OAuth2 / OpenID Connect issuer, {@code http://127.0.0.1:<port>}: the {@code iss} of every token. */
    public String issuerUri() {
        return authServer.issuerUri();
    }

    /** The embedded authorization server, for tests that restart it. */
    public AuthServerProcess authServer() {
        return authServer;
    }

    /** Tokens of the stack's users and clients from its auth server, each cached until shortly before it expires. */
    public Tokens tokens() {
        Tokens current = tokens;
        if (current == null) {
            synchronized (this) {
                current = tokens;
                if (current == null) {
                    current = new Tokens(authServer.issuerUri(), authServer.realmFile());
                    tokens = current;
                }
            }
        }
        return current;
    }

    /**
     * The file holding the private key that signs the stack's tokens ({@code io.orderflow.auth.SigningKey#read}
     * reads it), for negative tests only: tokens signed like the server's, but expired, for another audience or with
     * other roles.
     */
    public Path signingKey() {
        return authServer.signingKey();
    }

    /** The secret of the client {@value StackRealm#DASHBOARD_CLIENT}, which the dashboard logs operators in with. */
    public String dashboardClientSecret() {
        return Realm.load(authServer.realmFile())
                .client(StackRealm.DASHBOARD_CLIENT)
                .orElseThrow()
                .secret();
    }

    /** The environment a service process needs to reach this stack. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(StackSettings.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        env.put(StackSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        env.put(StackSettings.DATABASE_URL, jdbcUrl);
        env.put(StackSettings.DATABASE_USER, databaseUser);
        env.put(StackSettings.DATABASE_PASSWORD, databasePassword);
        env.put(StackSettings.OAUTH2_ISSUER_URI, issuerUri());
        if (replicationFactor() > 1) {
            env.put(StackSettings.KAFKA_REPLICATION_FACTOR, String.valueOf(replicationFactor()));
            env.put(StackSettings.KAFKA_MIN_INSYNC_REPLICAS, String.valueOf(minInsyncReplicas()));
        }
        return env;
    }

    /** The Spring Boot properties that point a service at this stack, for tests that run one in-process. */
    public Map<String, String> springBootProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("orderflow.eventing.schema-registry.url", schemaRegistryUrl);
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("spring.datasource.username", databaseUser);
        properties.put("spring.datasource.password", databasePassword);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuerUri());
        if (replicationFactor() > 1) {
            properties.put("orderflow.eventing.topics.replication-factor", String.valueOf(replicationFactor()));
            properties.put("orderflow.eventing.topics.min-insync-replicas", String.valueOf(minInsyncReplicas()));
        }
        return properties;
    }

    @Override
    public void close() {
        try {
            authServer.close();
            registry.ifPresent(SchemaRegistryServer::close);
            kafka.ifPresent(KafkaCluster::close);
        } finally {
            database.ifPresent(EmbeddedDatabase::close);
        }
    }

    /** Removes a work directory and everything under it: {@code --fresh}. */
    public static void wipe(Path workDirectory) {
        if (!Files.exists(workDirectory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + path, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + workDirectory, e);
        }
    }
}
