package io.orderflow.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kafka as the local stack runs it: one KRaft node, or several, each broker and controller in a process of its own,
 * together the controller quorum. With several, every topic is replicated to each node and a write needs two of
 * them ({@link #minInsyncReplicas}), as in production: a node can be killed while orders flow.
 */
public final class KafkaCluster implements AutoCloseable {

    private final List<KafkaBroker> nodes;

    private KafkaCluster(List<KafkaBroker> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code size} nodes whose data lives under {@code directory} (in {@code node-<id>/} when there are
     * several), and waits until each serves clients.
     *
     * @param preferredPort the first node's client port when it is free, otherwise a free one; 0 for any free port
     */
    public static KafkaCluster start(Path directory, int size, int preferredPort, String heap) {
        if (size < 1) {
            throw new IllegalArgumentException("a Kafka cluster has at least one node, not " + size);
        }
        List<KafkaBroker> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            int clientPort = id == 1 && preferredPort != 0 ? Ports.preferred(preferredPort) : Ports.free();
            Path nodeDirectory = size == 1 ? directory : directory.resolve("node-" + id);
            nodes.add(new KafkaBroker(nodeDirectory, id, clientPort, Ports.free(), heap));
        }
        String voters = nodes.stream().map(KafkaBroker::voter).collect(Collectors.joining(","));
        KafkaCluster cluster = new KafkaCluster(nodes);
        try {
            // All first, then wait: no node serves until a majority of the quorum is up.
            nodes.forEach(node -> node.launch(voters, size));
            nodes.forEach(KafkaBroker::awaitReady);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
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
