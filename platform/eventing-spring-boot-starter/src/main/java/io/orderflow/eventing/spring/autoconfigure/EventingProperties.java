package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.lag.LagThresholds;
import io.orderflow.eventing.outbox.OutboxRelaySettings;
import io.orderflow.eventing.topic.TopicSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the eventing library, under {@code orderflow.eventing}.
 *
 * @param serviceName the {@code producer} header of every event this service writes
 * @param schema      the service's own database schema, which holds its outbox and inbox
 */
@ConfigurationProperties("orderflow.eventing")
public record EventingProperties(
        String serviceName,
        String schema,
        @DefaultValue SchemaRegistry schemaRegistry,
        @DefaultValue Topics topics,
        @DefaultValue Relay relay,
        @DefaultValue Consumer consumer,
        @DefaultValue Lag lag,
        @DefaultValue Inbox inbox) {

    /**
     * @param url          a Confluent-compatible schema registry
     * @param autoRegister register this service's event schemas at start (local runs); off in production, where
     *                     {@code orderflow schemas register} registers them before a deploy
     * @param timeout      of one registry call
     */
    public record SchemaRegistry(
            @DefaultValue("http://127.0.0.1:8086") String url,
            @DefaultValue("true") boolean autoRegister,
            @DefaultValue("5s") Duration timeout) {
    }

    public record Topics(
            @DefaultValue("6") int partitions,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("1") int minInsyncReplicas,
            @DefaultValue("-1ms") Duration retention,
            @DefaultValue("28d") Duration deadLetterRetention,
            @DefaultValue("60s") Duration provisioningTimeout) {

        public TopicSettings settings() {
            return new TopicSettings(partitions, replicationFactor, minInsyncReplicas, retention, deadLetterRetention);
        }
    }

    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("500") int batchSize,
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("5ms") Duration linger,
            @DefaultValue("30s") Duration sendTimeout,
            @DefaultValue("10s") Duration drainTimeout,
            @DefaultValue("5s") Duration maxBackoff) {

        OutboxRelaySettings settings() {
            return new OutboxRelaySettings(batchSize, pollInterval, linger, sendTimeout, drainTimeout, maxBackoff);
        }
    }

    public record Consumer(
            @DefaultValue("1") int concurrency,
            @DefaultValue("500") int maxPollRecords,
            @DefaultValue("4") int retries,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("5s") Duration maxBackoff,
            @DefaultValue("20s") Duration shutdownTimeout,
            @DefaultValue("10s") Duration sessionTimeout) {

        ConsumerSettings settings() {
            return new ConsumerSettings(concurrency, maxPollRecords, retries, initialBackoff, maxBackoff,
                    shutdownTimeout, sessionTimeout);
        }
    }

    /**
     * @param enabled    read the lag of this service's consumer groups at {@code interval}
     * @param groups     groups to watch beside those of the service's {@code EventConsumer}s (a Kafka Streams
     *                   application's id, for one)
     * @param maxBehind  health reports DEGRADED, and a warning is logged, while a partition's oldest unread record
     *                   is older than this
     * @param maxRecords the same for unread records; zero or less: not checked
     */
    public record Lag(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("10s") Duration interval,
            @DefaultValue List<String> groups,
            @DefaultValue("60s") Duration maxBehind,
            @DefaultValue("0") long maxRecords) {

        public LagThresholds thresholds() {
            return new LagThresholds(maxBehind, maxRecords);
        }
    }

    /**
     * @param retention      how long a processed event's id is kept; at least the dead-letter retention, since a
     *                       replayed dead letter may come back that much later (docs/operations.md); negative:
     *                       for ever, no purge
     * @param purgeInterval  how often rows older than that are deleted
     * @param purgeBatchSize rows deleted per transaction
     */
    public record Inbox(
            @DefaultValue("35d") Duration retention,
            @DefaultValue("10m") Duration purgeInterval,
            @DefaultValue("1000") int purgeBatchSize) {
    }
}
