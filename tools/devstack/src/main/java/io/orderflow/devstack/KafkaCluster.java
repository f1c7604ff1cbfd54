package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Kafka as the local stack runs it: one KRaft node, or several, each broker and controller in a process of its own,
 * together the controller quorum. With several, every topic is replicated to each node and a write needs two of
 * them ({@link #minInsyncReplicas}), as in production: a node can be killed while orders flow.
 *
 * <p>Plaintext by default. {@link Security#SASL_SSL} makes it secure: TLS from a {@link LocalCertificateAuthority}
 * of its own, SCRAM-SHA-512, the KRaft authorizer and one principal per client with the rights {@link KafkaAccess}
 * gives it. Clients take their settings from {@link #clientConfig(String)} (or the file
 * {@link #clientConfigFile(String)}), which in plaintext is just {@code bootstrap.servers}, so that a caller needs no
 * branch for either.
 */
public final class KafkaCluster implements AutoCloseable {

    /** How clients and nodes talk to the cluster. */
    public enum Security {
        /** No TLS, no authentication, no authorization: the default. */
        PLAINTEXT,
        /**
         * SASL_SSL with SCRAM-SHA-512 for clients and between nodes, SSL with client certificates to the
         * controllers, the KRaft {@code StandardAuthorizer}, and the ACLs of {@link KafkaAccess}.
         */
        SASL_SSL
    }

    private final Path directory;
    private final List<KafkaBroker> nodes;
    private final Optional<KafkaSecurity> security;

    private KafkaCluster(Path directory, List<KafkaBroker> nodes, Optional<KafkaSecurity> security) {
        this.directory = directory;
        this.nodes = List.copyOf(nodes);
        this.security = security;
    }

    /**
     * Starts {@code size} nodes whose data lives under {@code directory} (in {@code node-<id>/} when there are
     * several), and waits until each serves clients.
     *
     * @param preferredPort the first node's client port when it is free, otherwise a free one; 0 for any free port
     */
    public static KafkaCluster start(Path directory, int size, int preferredPort, String heap) {
        return start(directory, size, preferredPort, heap, Security.PLAINTEXT);
    }

    /**
     * As {@link #start(Path, int, int, String)}, secure or not. A secure cluster keeps its certificate authority,
     * passwords, node key stores and client configurations in {@code secure/} under {@code directory}; a directory
     * holds one kind of cluster, and starting it as the other is refused.
     */
    public static KafkaCluster start(Path directory, int size, int preferredPort, String heap, Security mode) {
        if (size < 1) {
            throw new IllegalArgumentException("a Kafka cluster has at least one node, not " + size);
        }
        Optional<KafkaSecurity> security = Optional.empty();
        if (mode == Security.SASL_SSL) {
            UnitTestGuard.refuseInUnitTests("a Kafka broker");
            if (!KafkaSecurity.isPresent(directory) && isFormatted(directory, size)) {
                throw new IllegalStateException(directory + " holds a plaintext Kafka cluster: start it as such, or"
                        + " wipe the directory to start a secure one");
            }
            security = Optional.of(KafkaSecurity.openOrCreate(directory));
        } else if (KafkaSecurity.isPresent(directory)) {
            throw new IllegalStateException(directory + " holds a secure Kafka cluster (SASL_SSL): start it as"
                    + " such, or wipe the directory to start a plaintext one");
        }
        List<KafkaBroker> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            int clientPort = id == 1 && preferredPort != 0 ? Ports.preferred(preferredPort) : Ports.free();
            nodes.add(new KafkaBroker(
                    nodeDirectory(directory, size, id), id, clientPort, Ports.free(), heap, security.orElse(null)));
        }
        String voters = nodes.stream().map(KafkaBroker::voter).collect(Collectors.joining(","));
        KafkaCluster cluster = new KafkaCluster(directory, nodes, security);
        try {
            // All first, then wait: no node serves until a majority of the quorum is up.
            nodes.forEach(node -> node.launch(voters, size));
            nodes.forEach(KafkaBroker::awaitReady);
            security.ifPresent(secure -> {
                secure.provision(cluster.bootstrapServers(), nodes);
                secure.writeClientConfigs(cluster.bootstrapServers());
            });
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static Path nodeDirectory(Path directory, int size, int id) {
        return size == 1 ? directory : directory.resolve("node-" + id);
    }

    private static boolean isFormatted(Path directory, int size) {
        for (int id = 1; id <= size; id++) {
            if (Files.exists(nodeDirectory(directory, size, id).resolve("data").resolve("meta.properties"))) {
                return true;
            }
        }
        return false;
    }

    /** The replicas a write needs: two in a cluster of several, so that one node may be down. */
    public static int minInsyncReplicas(int size) {
        return size > 1 ? 2 : 1;
    }

    public List<KafkaBroker> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas(size());
    }

    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public boolean isSecure() {
        return security.isPresent();
    }

    /**
     * The principals clients connect as, one per client, in {@link KafkaAccess}'s order; the same in plaintext,
     * where they are only names.
     */
    public List<String> principals() {
        return KafkaAccess.names();
    }

    /**
     * What a Kafka client needs to connect as the principal (one of {@link #principals()}, or
     * {@value KafkaAccess#ADMIN}, the stack's super user): {@code bootstrap.servers}, and when secure the SASL_SSL
     * settings with the principal's password, the CA as a PEM trust store, and the schema registry client's
     * settings ({@code basic.auth.*}, {@code schema.registry.ssl.truststore.*}). Host names are verified (Kafka's
     * default, {@code ssl.endpoint.identification.algorithm=https}). In plaintext: {@code bootstrap.servers} only.
     */
    public Map<String, Object> clientConfig(String principal) {
        requireKnown(principal);
        return security.map(secure -> secure.clientConfig(bootstrapServers(), principal))
                .orElseGet(() -> {
                    Map<String, Object> config = new LinkedHashMap<>();
                    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
                    return config;
                });
    }

    /** The stack's own super user's client configuration: {@code clientConfig("admin")}. */
    public Map<String, Object> adminClientConfig() {
        return clientConfig(KafkaAccess.ADMIN);
    }

    /**
     * {@link #clientConfig(String)} as a properties file, for clients in other processes and languages: when secure
     * {@code secure/clients/<principal>.properties}, written at every start and readable by its owner only; in
     * plaintext {@code clients/<principal>.properties}, written when asked for.
     */
    public Path clientConfigFile(String principal) {
        requireKnown(principal);
        if (security.isPresent()) {
            return security.get().clientConfigFile(principal);
        }
        Path file = directory.resolve("clients").resolve(principal + ".properties");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers() + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * Names the schema registry that serves this cluster in every principal's client configuration (and rewrites
     * their files), so that a file is all a client needs; nothing in plaintext.
     */
    public void useSchemaRegistry(String url) {
        security.ifPresent(secure -> {
            secure.registryUrl(url);
            secure.writeClientConfigs(bootstrapServers());
        });
    }

    /** The certificate authority's certificate (PEM) that clients trust; empty in plaintext. */
    public Optional<Path> caCertificate() {
        return certificateAuthority().map(LocalCertificateAuthority::certificateFile);
    }

    /** The authority that signed the nodes' certificates, to issue one for another local server; empty in plaintext. */
    public Optional<LocalCertificateAuthority> certificateAuthority() {
        return security.map(KafkaSecurity::authority);
    }

    private static void requireKnown(String principal) {
        if (!principal.equals(KafkaAccess.ADMIN)) {
            KafkaAccess.principal(principal);
        }
    }

    /**
     * Stops every node at once: one after another, the last ones would wait for a controller quorum the first ones
     * took away, until their stop timed out.
     */
    @Override
    public void close() {
        nodes.forEach(KafkaBroker::requestStop);
        nodes.forEach(KafkaBroker::stop);
    }
}
