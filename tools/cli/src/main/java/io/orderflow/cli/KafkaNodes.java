package io.orderflow.cli;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.KafkaCluster;
import io.orderflow.devstack.StackSettings;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.clientconfig.ClientConfigException;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --brokers}: how many Kafka nodes the embedded stack runs, for the commands that start one. */
final class KafkaNodes {

    @Option(
            names = "--brokers",
            defaultValue = "1",
            description = "Kafka nodes (default ${DEFAULT-VALUE}). With 3, a replicated KRaft cluster: every topic on"
                    + " each node, two needed for a write; its stack lives in brokers-3/ of the work directory.")
    int count;

    @Option(
            names = "--secure",
            description = "Secure the embedded Kafka: SASL_SSL (SCRAM-SHA-512 over TLS, a local CA), ACLs that give"
                    + " each service, the registry, the dashboard and this command a principal and exactly its"
                    + " rights, and the registry over HTTPS with a user each; its stack lives in secure/ of the work"
                    + " directory (docs/production.md).")
    boolean secure;

    /** The stack's settings from the environment, with these nodes. */
    StackSettings settings() {
        StackSettings settings = settings(System.getenv(), count);
        return secure ? settings.secured() : settings;
    }

    /**
     * The stack's settings from these variables, with these nodes. Kafka and the registry the client configuration
     * names ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, or the file {@code ORDERFLOW_CLIENT_CONFIG}
     * names) are external: none is started for them.
     *
     * @throws ClientConfigException when the file secures a Kafka that the embedded broker or registry would stand
     *                               in for ({@link ClientConfig#checkedForLocalStack()})
     */
    static StackSettings settings(Map<String, String> env, int brokers) {
        ClientConfig client = ClientConfig.fromEnvironment(env::get).checkedForLocalStack();
        return StackSettings.fromEnvironment(env)
                .withBrokers(brokers)
                .withExternal(client.bootstrapServers(), client.registryUrl());
    }

    /** Starts the stack: each node with the heap the tests give theirs, which a local stack's load fits in. */
    DevStack start(StackSettings settings) {
        return DevStack.start(settings, "384m");
    }

    /**
     * What the services started on a stack need beside its addresses to reach it: the client configuration file,
     * when one is named. A stack that secures its own Kafka gives each service its own instead
     * ({@link DevStack#clientEnvironment(String)}).
     */
    static Map<String, String> clientEnvironment(ClientConfig client) {
        return client.file()
                .map(file -> Map.of(ClientConfig.VARIABLE, file.toString()))
                .orElse(Map.of());
    }

    /** Where a secure stack keeps each principal's client configuration, printed for people and other clients. */
    static void printClientConfigurations(DevStack stack) {
        stack.kafka().filter(KafkaCluster::isSecure).ifPresent(cluster -> {
            Console.line("  Security    SASL_SSL (SCRAM-SHA-512 over TLS), ACLs per principal; registry over HTTPS");
            Console.line(
                    "              CA certificate  " + cluster.caCertificate().orElseThrow());
            Console.line("              client configurations (Kafka and registry settings, one principal each):");
            for (String principal : cluster.principals()) {
                Console.line(String.format("                %-18s %s", principal, cluster.clientConfigFile(principal)));
            }
        });
    }
}
