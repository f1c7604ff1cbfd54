package io.orderflow.devstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the infrastructure comes from: external servers named by environment variables, or the embedded stack
 * under a work directory. A preferred port is taken when free, else any free one; 0 means any free one.
 */
public record StackSettings(
        Optional<String> externalKafka,
        Optional<String> externalDatabaseUrl,
        Optional<String> externalSchemaRegistry,
        String databaseUser,
        String databasePassword,
        Path workDirectory,
        int preferredKafkaPort,
        int preferredRegistryPort,
        int preferredAuthServerPort,
        int brokers,
        boolean secure) {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String DATABASE_USER = "DATABASE_USER";
    public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
    public static final String ORDERFLOW_HOME = "ORDERFLOW_HOME";
    /** The replication the services give the topics they create (the eventing library's defaults read these). */
    public static final String KAFKA_REPLICATION_FACTOR = "KAFKA_REPLICATION_FACTOR";

    public static final String KAFKA_MIN_INSYNC_REPLICAS = "KAFKA_MIN_INSYNC_REPLICAS";
    /** The stack's OAuth2 / OpenID Connect issuer: the services take the keys of the tokens they accept from it. */
    public static final String OAUTH2_ISSUER_URI = "OAUTH2_ISSUER_URI";
    /** The dashboard's client secret at the issuer (client {@code dashboard}): it logs operators in with it. */
    public static final String DASHBOARD_CLIENT_SECRET = "DASHBOARD_CLIENT_SECRET";

    public static StackSettings fromEnvironment(Map<String, String> env) {
        return new StackSettings(
                nonBlank(env.get(KAFKA_BOOTSTRAP_SERVERS)),
                nonBlank(env.get(DATABASE_URL)),
                nonBlank(env.get(SCHEMA_REGISTRY_URL)),
                nonBlank(env.get(DATABASE_USER)).orElse(EmbeddedDatabase.USER),
                Optional.ofNullable(env.get(DATABASE_PASSWORD)).orElse(""),
                Path.of(nonBlank(env.get(ORDERFLOW_HOME)).orElse(".orderflow")).toAbsolutePath(),
                9092,
                8086,
                8088,
                1,
                false);
    }

    /**
     * The embedded Kafka as a cluster of {@code count} nodes. Its stack lives in a work directory of its own
     * ({@code brokers-3/} inside this one), so that switching between one broker and several never shows a service
     * topics that were recreated under its stored consumer positions.
     */
    public StackSettings withBrokers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--brokers is at least 1, not " + count);
        }
        if (count == brokers) {
            return this;
        }
        return embedded(count == 1 ? workDirectory : workDirectory.resolve("brokers-" + count), count, secure);
    }

    /**
     * The embedded Kafka secured (SASL_SSL with SCRAM-SHA-512, a local CA, an ACL'd principal per client) and the
     * embedded registry over HTTPS with a user per principal. Its stack lives in {@code secure/} inside this one's
     * work directory: a cluster is made secure or plaintext once, when its storage is formatted.
     */
    public StackSettings secured() {
        if (secure) {
            return this;
        }
        return embedded(workDirectory.resolve("secure"), brokers, true);
    }

    /** Kafka and the registry at these addresses, where present: none is started for them. */
    public StackSettings withExternal(Optional<String> kafka, Optional<String> schemaRegistry) {
        return new StackSettings(
                kafka,
                externalDatabaseUrl,
                schemaRegistry,
                databaseUser,
                databasePassword,
                workDirectory,
                preferredKafkaPort,
                preferredRegistryPort,
                preferredAuthServerPort,
                brokers,
                secure);
    }

    /** These settings with the embedded Kafka's stack in {@code directory}: its nodes and whether it is secure. */
    private StackSettings embedded(Path directory, int nodes, boolean secured) {
        return new StackSettings(
                externalKafka,
                externalDatabaseUrl,
                externalSchemaRegistry,
                databaseUser,
                databasePassword,
                directory,
                preferredKafkaPort,
                preferredRegistryPort,
                preferredAuthServerPort,
                nodes,
                secured);
    }

    /** A throw-away embedded stack on free ports, for tests. */
    public static StackSettings forTests(Path workDirectory) {
        return new StackSettings(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                EmbeddedDatabase.USER,
                "",
                workDirectory,
                0,
                0,
                0,
                1,
                false);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
