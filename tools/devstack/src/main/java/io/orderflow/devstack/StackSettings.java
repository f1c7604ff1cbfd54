package io.orderflow.devstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the infrastructure comes from: external servers named by environment variables, or the embedded stack
 * under a work directory.
 */
public record StackSettings(
        Optional<String> externalKafka,
        Optional<String> externalDatabaseUrl,
        Optional<String> externalSchemaRegistry,
        String databaseUser,
        String databasePassword,
        Path workDirectory,
        int preferredKafkaPort,
        int preferredRegistryPort) {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String DATABASE_USER = "DATABASE_USER";
    public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
    public static final String ORDERFLOW_HOME = "ORDERFLOW_HOME";

    public static StackSettings fromEnvironment(Map<String, String> env) {
        return new StackSettings(
                nonBlank(env.get(KAFKA_BOOTSTRAP_SERVERS)),
                nonBlank(env.get(DATABASE_URL)),
                nonBlank(env.get(SCHEMA_REGISTRY_URL)),
                nonBlank(env.get(DATABASE_USER)).orElse(EmbeddedDatabase.USER),
                Optional.ofNullable(env.get(DATABASE_PASSWORD)).orElse(""),
                Path.of(nonBlank(env.get(ORDERFLOW_HOME)).orElse(".orderflow")).toAbsolutePath(),
                9092,
                8086);
    }

    /** A throw-away embedded stack on free ports, for tests. */
    public static StackSettings forTests(Path workDirectory) {
        return new StackSettings(
                Optional.empty(), Optional.empty(), Optional.empty(), EmbeddedDatabase.USER, "", workDirectory, 0, 0);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
