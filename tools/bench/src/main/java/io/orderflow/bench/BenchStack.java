package io.orderflow.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.Tokens;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.db.EventingSchema;
import io.orderflow.eventing.outbox.ReliableProducer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.topic.TopicSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The infrastructure of a benchmark run: the embedded broker and PostgreSQL in a throw-away directory (or the
 * external ones from the environment), fresh schemas and topics.
 */
public final class BenchStack implements AutoCloseable {

    private final DevStack stack;
    private final ClientConfig client;
    private final Path directory;
    private EventSerdes serdes;
    private final List<HikariDataSource> dataSources = new ArrayList<>();

    /** The principal the bench's own clients connect as on a secure stack. */
    private static final String BENCH_PRINCIPAL = "orderflow";

    private BenchStack(DevStack stack, ClientConfig client, Path directory) {
        this.stack = stack;
        this.client = client;
        this.directory = directory;
    }

    public static BenchStack start() throws IOException {
        return start(1);
    }

    /**
     * A fresh stack whose Kafka is {@code brokers} nodes: with several, every topic replicated to each. Kafka and the
     * registry the client configuration names ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, the
     * file {@code ORDERFLOW_CLIENT_CONFIG} names) are external, and reached with the file's settings.
     */
    public static BenchStack start(int brokers) throws IOException {
        return start(brokers, false);
    }

    /**
     * {@link #start(int)}, and with {@code secure} the embedded Kafka and registry secured as {@code orderflow up
     * --secure} does: the bench's own clients then connect as the {@code orderflow} principal, each service as its own.
     */
    public static BenchStack start(int brokers, boolean secure) throws IOException {
        ClientConfig client = ClientConfig.fromEnvironment().checkedForLocalStack();
        Path directory = Files.createTempDirectory("orderflow-bench-");
        StackSettings env = StackSettings.fromEnvironment(System.getenv());
        StackSettings settings = new StackSettings(
                client.bootstrapServers(),
                env.externalDatabaseUrl(),
                client.registryUrl(),
                env.databaseUser(),
                env.databasePassword(),
                directory,
                0,
                0,
                0,
                brokers,
                false);
        StackSettings chosen = secure ? settings.secured() : settings;
        DevStack stack = DevStack.start(chosen, "384m");
        if (stack.isSecure()) {
            client = ClientConfig.load(stack.kafka().orElseThrow().clientConfigFile(BENCH_PRINCIPAL));
        }
        return new BenchStack(stack, client, chosen.workDirectory());
    }

    /** The stack itself: its broker nodes, database and registry, for runs that inject faults into them. */
    public DevStack devStack() {
        return stack;
    }

    /** What a service started on this stack needs to connect as itself: its client configuration, when secure. */
    public Map<String, String> clientEnvironment(ServiceName service) {
        return stack.clientEnvironment(service.displayName());
    }

    /** The embedded PostgreSQL's data directory (its postmaster.pid names the server process). */
    public Path postgresDirectory() {
        return directory.resolve("postgres");
    }

    /** The authorization server's process, counted apart from the broker in the stack's CPU and memory. */
    public long authServerPid() {
        return stack.authServer().pid();
    }

    /** Access tokens from the stack's authorization server. */
    public Tokens tokens() {
        return stack.tokens();
    }

    /** What a service started on this stack is told: broker, database, registry, the client configuration file. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new HashMap<>(stack.serviceEnvironment());
        client.file().ifPresent(file -> environment.put(ClientConfig.VARIABLE, file.toString()));
        return environment;
    }

    public Connection connect() throws SQLException {
        return java.sql.DriverManager.getConnection(stack.jdbcUrl(), stack.databaseUser(), stack.databasePassword());
    }

    /**
     * The settings every Kafka client of the bench is made from: the stack's bootstrap servers, with the client
     * configuration file's settings (security, …). A stack that secures its own Kafka gives its own here.
     */
    public Map<String, Object> kafkaConfig() {
        return client.kafka(stack.bootstrapServers());
    }

    /** The settings every Kafka client of the bench is made from, with these on top. */
    Map<String, Object> kafkaConfig(Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>(kafkaConfig());
        config.putAll(own);
        return config;
    }

    /** A client of the stack's registry, with the client configuration file's user and truststore. */
    SchemaRegistryClient registryClient() {
        return new SchemaRegistryClient(stack.schemaRegistryUrl(), Duration.ofSeconds(5), client.registryAccess());
    }

    /** Serdes on the stack's registry, registering the bench's schemas as a local service does. */
    EventSerdes serdes() {
        if (serdes == null) {
            serdes = new EventSerdes(registryClient(), true);
        }
        return serdes;
    }

    /** A pool on a schema made fresh for this run, with the eventing tables and any extra DDL. */
    HikariDataSource freshSchema(String schema, int poolSize, String... ddl) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.jdbcUrl());
        config.setUsername(stack.databaseUser());
        config.setPassword(stack.databasePassword());
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(schema);
        // JDBC batches of INSERTs travel as multi-row INSERTs, as in the services.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource admin = new HikariDataSource(config);
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } finally {
            admin.close();
        }
        config.setSchema(schema);
        config.setPoolName(schema + "-pool");
        HikariDataSource dataSource = new HikariDataSource(config);
        dataSources.add(dataSource);
        new EventingSchema(dataSource, schema).migrate();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
        }
        return dataSource;
    }

    void createTopic(Topic topic) {
        new TopicProvisioner(kafkaConfig(), TopicSettings.defaults()).provision(List.of(topic), Duration.ofSeconds(60));
    }

    KafkaProducer<String, byte[]> reliableProducer(String clientId) {
        Map<String, Object> config =
                ReliableProducer.config(kafkaConfig(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId)));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        dataSources.forEach(HikariDataSource::close);
        stack.close();
        DevStack.wipe(directory);
    }
}
