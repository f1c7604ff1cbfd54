package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka node in KRaft mode (broker and controller in one process), running in its own JVM so that
 * tests can kill it and start it again. Its data survives a restart. One node is the whole cluster by default; a
 * {@link KafkaCluster} of three makes a replicated one.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String PID_FILE = "broker.pid";
    private static final String ROLE = "kafka-broker";

    private final Path directory;
    private final int nodeId;
    private final int port;
    private final int controllerPort;
    private final String heap;
    /** Null for a plaintext node. */
    private final KafkaSecurity security;

    private LocalCertificateAuthority.Keystore keystore;
    private String voters;
    private int clusterSize;
    private Process process;

    KafkaBroker(Path directory, int nodeId, int port, int controllerPort, String heap, KafkaSecurity security) {
        this.directory = directory;
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
        this.security = security;
    }

    /** The entry of this node in {@code controller.quorum.voters}. */
    String voter() {
        return nodeId + "@127.0.0.1:" + controllerPort;
    }

    public int nodeId() {
        return nodeId;
    }

    /** The node's process is started; {@link #awaitReady()} waits for it to serve, once its quorum is up. */
    void launch(String quorumVoters, int nodesInCluster) {
        this.voters = quorumVoters;
        this.clusterSize = nodesInCluster;
        UnitTestGuard.refuseInUnitTests("a Kafka broker");
        // A broker left running by a killed launcher holds the data and, likely, the preferred port.
        PidFile.stopLeftover(pidFile(), "a Kafka broker", JavaProcess.roleMark(ROLE));
        if (security != null) {
            keystore = security.issueNodeKeystore(nodeId);
        }
        launchProcess();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return directory.resolve("broker.log");
    }

    private Path pidFile() {
        return directory.resolve(PID_FILE);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the broker gets no chance to shut down cleanly. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, without waiting: the controlled shutdown begins. */
    void requestStop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** SIGTERM, then a controlled shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitForExit(Duration.ofSeconds(30))) {
                log.warn("Kafka broker did not stop within 30 s; killing it");
                process.destroyForcibly();
                waitForExit(Duration.ofSeconds(10));
            }
        }
    }

    /** Starts the broker again on the same ports and data after {@link #stop()} or {@link #kill()}. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running");
        }
        launchProcess();
        awaitReady();
    }

    @Override
    public void close() {
        stop();
    }

    private void launchProcess() {
        try {
            Files.createDirectories(directory);
            Path config = writeConfig();
            formatStorageOnce(config);
            process = JavaProcess.start(
                    ROLE, "kafka.Kafka", jvmOptions(), List.of(config.toString()), Map.of(), logFile());
            PidFile.write(pidFile(), process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker in " + directory, e);
        }
    }

    private List<String> jvmOptions() {
        return List.of(
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=orderflow-broker-logback.xml");
    }

    private Path writeConfig() throws IOException {
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(nodeId)),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", directory.resolve("data").toString()),
                Map.entry("num.partitions", "6"),
                Map.entry("auto.create.topics.enable", "false"),
                // Every topic, the internal ones and those created with the broker's defaults (Kafka Streams'
                // internal topics, dead-letter outcomes) included, is replicated to every node, and a write needs
                // two of them in a cluster of several.
                Map.entry("default.replication.factor", String.valueOf(clusterSize)),
                Map.entry("min.insync.replicas", String.valueOf(KafkaCluster.minInsyncReplicas(clusterSize))),
                Map.entry("offsets.topic.replication.factor", String.valueOf(clusterSize)),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", String.valueOf(clusterSize)),
                Map.entry("transaction.state.log.min.isr", String.valueOf(KafkaCluster.minInsyncReplicas(clusterSize))),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", String.valueOf(clusterSize)),
                Map.entry(
                        "share.coordinator.state.topic.min.isr",
                        String.valueOf(KafkaCluster.minInsyncReplicas(clusterSize))),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.segment.bytes", String.valueOf(64 * 1024 * 1024))));
        Path file = directory.resolve("server.properties");
        if (security != null) {
            // The listeners, TLS, SCRAM and the authorizer; the file then holds passwords.
            config.putAll(security.brokerConfig(port, controllerPort, keystore));
            SecretFiles.ownerOnly(file);
        }
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "Written by orderflow devstack at every start; edits are overwritten");
        }
        return file;
    }

    private void formatStorageOnce(Path config) throws IOException {
        if (Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            return;
        }
        // The nodes of one cluster share its id: the file lives beside the nodes' directories, or in the only one.
        Path clusterIdFile = (clusterSize == 1 ? directory : directory.getParent()).resolve("cluster-id");
        String clusterId;
        if (Files.exists(clusterIdFile)) {
            clusterId = Files.readString(clusterIdFile).trim();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(clusterIdFile, clusterId);
        }
        JavaProcess.run(
                "kafka-storage-format",
                // Secure: with the broker's and admin's SCRAM credentials, passed in the environment.
                security == null ? "kafka.tools.StorageTool" : KafkaStorageFormat.class.getName(),
                List.of("-Xmx256m", "-Dlogback.configurationFile=orderflow-broker-logback.xml"),
                List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"),
                security == null ? Map.of() : security.formatEnvironment(),
                directory.resolve("format.log"));
    }

    /** Waits until the node serves clients: its quorum has a leader and it has joined the cluster. */
    void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            adminConfig.putAll(security.adminConfig(bootstrapServers()));
        }
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        adminConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + process.exitValue()
                            + " while starting; see " + logFile());
                }
                try {
                    var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(node -> node.id() == nodeId)) {
                        log.info(
                                "Kafka node {} (KRaft) ready at {} (pid {})",
                                nodeId,
                                bootstrapServers(),
                                process.pid());
                        return;
                    }
                } catch (Exception notYet) {
                    if (notYet instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the Kafka broker");
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            "the Kafka broker did not become ready within " + START_TIMEOUT + "; see " + logFile());
                }
            }
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
