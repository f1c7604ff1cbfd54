package io.orderflow.devstack;

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
 * The infrastructure every service needs: a Kafka broker, a PostgreSQL database and a schema registry, embedded
 * unless external ones are configured. The embedded registry runs in this JVM and keeps its schemas in the broker.
 * Closing it stops what it started and leaves external servers alone.
 */
public final class DevStack implements AutoCloseable {

    private final Optional<KafkaBroker> broker;
    private final Optional<EmbeddedDatabase> database;
    private final Optional<SchemaRegistryServer> registry;
    private final String bootstrapServers;
    private final String schemaRegistryUrl;
    private final String jdbcUrl;
    private final String databaseUser;
    private final String databasePassword;

    private DevStack(
            Optional<KafkaBroker> broker,
            Optional<EmbeddedDatabase> database,
            Optional<SchemaRegistryServer> registry,
            String bootstrapServers,
            String schemaRegistryUrl,
            String jdbcUrl,
            String databaseUser,
            String databasePassword) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.jdbcUrl = jdbcUrl;
        this.databaseUser = databaseUser;
        this.databasePassword = databasePassword;
    }

    public static DevStack start(StackSettings settings, String brokerHeap) {
        Optional<EmbeddedDatabase> database = settings.externalDatabaseUrl().isPresent()
                ? Optional.empty()
                : Optional.of(EmbeddedDatabase.start(settings.workDirectory().resolve("postgres"), 0));
        Optional<KafkaBroker> broker;
        try {
            broker = settings.externalKafka().isPresent()
                    ? Optional.empty()
                    : Optional.of(KafkaBroker.start(
                            settings.workDirectory().resolve("kafka"), settings.preferredKafkaPort(), brokerHeap));
        } catch (RuntimeException e) {
            database.ifPresent(EmbeddedDatabase::close);
            throw e;
        }
        String bootstrapServers = broker.map(KafkaBroker::bootstrapServers)
                .orElseGet(() -> settings.externalKafka().orElseThrow());
        Optional<SchemaRegistryServer> registry;
        try {
            registry = settings.externalSchemaRegistry().isPresent()
                    ? Optional.empty()
                    : Optional.of(SchemaRegistryServer.start(
                            bootstrapServers,
                            settings.preferredRegistryPort() == 0
                                    ? 0
                                    : Ports.preferred(settings.preferredRegistryPort()),
                            SchemaRegistryServer.Settings.defaults()));
        } catch (RuntimeException e) {
            broker.ifPresent(KafkaBroker::stop);
            database.ifPresent(EmbeddedDatabase::close);
            throw e;
        }
        return new DevStack(
                broker,
                database,
                registry,
                bootstrapServers,
                registry.map(SchemaRegistryServer::url)
                        .orElseGet(() -> settings.externalSchemaRegistry().orElseThrow()),
                database.map(EmbeddedDatabase::jdbcUrl)
                        .orElseGet(() -> settings.externalDatabaseUrl().orElseThrow()),
                database.map(EmbeddedDatabase::user).orElse(settings.databaseUser()),
                database.map(EmbeddedDatabase::password).orElse(settings.databasePassword()));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
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

    /** The embedded broker, for fault tests; empty when Kafka is external. */
    public Optional<KafkaBroker> broker() {
        return broker;
    }

    public boolean isKafkaEmbedded() {
        return broker.isPresent();
    }

    public boolean isDatabaseEmbedded() {
        return database.isPresent();
    }

    /** The environment a service process needs to reach this stack. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(StackSettings.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        env.put(StackSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        env.put(StackSettings.DATABASE_URL, jdbcUrl);
        env.put(StackSettings.DATABASE_USER, databaseUser);
        env.put(StackSettings.DATABASE_PASSWORD, databasePassword);
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
        return properties;
    }

    @Override
    public void close() {
        try {
            registry.ifPresent(SchemaRegistryServer::close);
            broker.ifPresent(KafkaBroker::stop);
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
