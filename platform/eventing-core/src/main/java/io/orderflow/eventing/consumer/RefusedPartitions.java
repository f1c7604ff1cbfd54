package io.orderflow.eventing.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions a consumer refuses to consume because its stored position there belongs to another topic of the
 * same name (see {@link StoredPosition#untrustedOn}). Passing their records by would lose them silently; applying
 * them from Kafka's offsets could apply a history again. Only an operator can tell which, so the consumer stops
 * there, says so in an ERROR and in {@code orderflow.consumer.refused.partitions} (and the service's health), and
 * waits.
 */
public final class RefusedPartitions {

    private static final Logger log = LoggerFactory.getLogger(RefusedPartitions.class);
    private static final String GAUGE = "orderflow.consumer.refused.partitions";

    private final String consumer;
    private final String recordedAs;
    private final String topic;
    private final Map<Integer, String> reasons = new ConcurrentHashMap<>();

    /**
     * @param recordedAs the name the consumer's positions on the topic are stored under (its own, or the topic's
     *     former subscription's: {@link EventConsumer#recordedAs})
     */
    public RefusedPartitions(String consumer, String recordedAs, String topic, MeterRegistry meters) {
        this.consumer = consumer;
        this.recordedAs = recordedAs;
        this.topic = topic;
        // Containers created again for the same consumer (a context refreshed, a test) take the gauge over: the
        // registry would otherwise go on reading the first ones' partitions.
        Gauge previous =
                meters.find(GAUGE).tag("consumer", consumer).tag("topic", topic).gauge();
        if (previous != null) {
            meters.remove(previous);
        }
        Gauge.builder(GAUGE, reasons, Map::size)
                .description("partitions a consumer refuses because its stored position belongs to another topic;"
                        + " an operator must accept the topic as it is now")
                .tag("consumer", consumer)
                .tag("topic", topic)
                .register(meters);
    }

    public void refuse(int partition, String why) {
        if (reasons.put(partition, why) == null) {
            log.error(
                    "{} refuses {}-{}: {}. Nothing of that partition is applied or passed by until an operator"
                            + " decides. If the topic was deleted and created again, or the service now reads another"
                            + " cluster, accept the topic as it is now: DELETE FROM consumer_positions WHERE consumer = '{}'"
                            + " AND topic = '{}'; then restart the service (docs/eventing.md, \"A topic that changed under"
                            + " its consumer\")",
                    consumer,
                    topic,
                    partition,
                    why,
                    recordedAs,
                    topic);
        }
    }

    /** The partition's stored position is good for the topic as it is now (or there is none). */
    public void accept(int partition) {
        reasons.remove(partition);
    }

    /** The partitions went to another consumer instance, which judges them itself. */
    public void forget(Collection<Integer> partitions) {
        partitions.forEach(reasons::remove);
    }

    public boolean isRefused(int partition) {
        return reasons.containsKey(partition);
    }

    /** Why each refused partition is refused, by partition. */
    public Map<Integer, String> reasons() {
        return new TreeMap<>(reasons);
    }

    /** Why each refused partition is refused, as {@code <consumer> <topic>-<partition>}. */
    public Map<String, String> described() {
        Map<String, String> described = new TreeMap<>();
        String storedAs =
                recordedAs.equals(consumer) ? "" : " (its positions are stored as consumer '" + recordedAs + "')";
        reasons.forEach((partition, why) -> described.put(consumer + " " + topic + "-" + partition, why + storedAs));
        return described;
    }
}
