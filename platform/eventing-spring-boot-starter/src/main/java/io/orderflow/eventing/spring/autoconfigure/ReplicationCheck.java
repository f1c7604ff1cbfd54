package io.orderflow.eventing.spring.autoconfigure;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service does about its topics falling short of the configured replication: a warning where that is
 * expected (the single local broker, a test), a refusal to start where it is not ({@code require-replication}, set
 * under the {@code prod} profile), naming each topic, what differs and the fix.
 */
final class ReplicationCheck {

    private static final Logger log = LoggerFactory.getLogger(ReplicationCheck.class);

    private ReplicationCheck() {}

    static void report(List<String> misfits, EventingProperties.Topics topics) {
        if (misfits.isEmpty()) {
            return;
        }
        String message = "topics below orderflow.eventing.topics.replication-factor=" + topics.replicationFactor()
                + " / min-insync-replicas=" + topics.minInsyncReplicas() + ": " + String.join("; ", misfits)
                + ". Raise them on the cluster (kafka-reassign-partitions for replicas, kafka-configs --alter"
                + " --add-config min.insync.replicas=N), or lower those settings if they are wrong";
        if (topics.requireReplication()) {
            throw new IllegalStateException(message);
        }
        log.warn(message);
    }
}
