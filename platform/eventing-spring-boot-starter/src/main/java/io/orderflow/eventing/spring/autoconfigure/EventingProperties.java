package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.clientconfig.RegistryAccess;
import io.orderflow.eventing.clientconfig.Secrets;
import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.lag.LagThresholds;
import io.orderflow.eventing.outbox.OutboxRelaySettings;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the eventing library, under orderflow.eventing.
 *
 * @param enabled        wire the library into the application at all; off, nothing of it is configured and none of
 *                       its defaults (see EventingDefaults) is added
 * @param serviceName    the producer header of every event this service writes; required with a database
 * @param schema         the service's own database schema, which holds the library's tables beside the service's;
 *                       required with a database, and the default of the connection pool's and Flyway's schema
 * @param migrateTables  create and migrate the library's tables (outbox, inbox, consumer positions) at start, with a
 *                       Flyway history table of their own; off when they are migrated some other way (their scripts
 *                       are in the jar under io/orderflow/eventing/db)
 * @param schemaRegistry the schema registry the events' schemas are registered in and read from
 * @param topics         how the service's topics are created when missing
 * @param relay          the outbox relay, which publishes the committed outbox rows
 * @param consumer       the consumers of the service's EventConsumer beans
 * @param lag            the watch on the lag of the service's consumer groups
 * @param inbox          the processed-events inbox and its retention
 */
@ConfigurationProperties("orderflow.eventing")
public record EventingProperties(
        @DefaultValue("true") boolean enabled,
        String serviceName,
        String schema,
        @DefaultValue("true") boolean migrateTables,
        @DefaultValue SchemaRegistry schemaRegistry,
        @DefaultValue Topics topics,
        @DefaultValue Relay relay,
        @DefaultValue Consumer consumer,
        @DefaultValue Lag lag,
        @DefaultValue Inbox inbox) {

    /**
     * @param url          a Confluent-compatible schema registry
     * @param autoRegister register this service's event schemas at start (local runs); off in production, where
     *                     orderflow schemas register registers them before a deploy
     * @param timeout      of one registry call
     * @param userInfo     user and password (user:password) the registry client sends with every request, by HTTP
     *                     basic authentication (Confluent's basic.auth.user.info); none when empty
     * @param truststore   the certificates the registry client trusts over HTTPS, such as a private CA; the JDK's
     *                     when no location is set
     */
    public record SchemaRegistry(
            @DefaultValue("http://127.0.0.1:8086") String url,
            @DefaultValue("true") boolean autoRegister,
            @DefaultValue("5s") Duration timeout,
            String userInfo,
            @DefaultValue Truststore truststore) {

        /**
         * How the registry client gets in: its user and the certificates it trusts.
         *
         * @throws io.orderflow.eventing.clientconfig.ClientConfigException when the user info has no colon or the
         *                                                                  truststore cannot be read
         */
        public RegistryAccess access() {
            return new RegistryAccess(
                    userInfo,
                    truststore.location() == null
                            ? null
                            : new io.orderflow.eventing.clientconfig.Truststore(
                                    truststore.location(), truststore.type(), truststore.password()));
        }

        /** A client of this registry, with its user and truststore: what every client of the registry is built as. */
        public SchemaRegistryClient client() {
            return new SchemaRegistryClient(url, timeout, access());
        }

        @Override
        public String toString() {
            return "SchemaRegistry[url=" + url + ", autoRegister=" + autoRegister + ", timeout=" + timeout
                    + ", userInfo=" + (userInfo == null ? "none" : Secrets.HIDDEN) + ", truststore=" + truststore
                    + "]";
        }
    }

    /**
     * @param location a file of the certificates to trust (Confluent's schema.registry.ssl.truststore.location)
     * @param type     PEM, PKCS12 or JKS
     * @param password of a PKCS12 or JKS file; none for PEM
     */
    public record Truststore(
            Path location, @DefaultValue("JKS") String type, String password) {

        @Override
        public String toString() {
            return location == null
                    ? "none"
                    : location + " (" + type + (password == null ? "" : ", password " + Secrets.HIDDEN) + ")";
        }
    }

    /**
     * @param provision           create the topics of the service's Topic and EventConsumer beans, and
     *                            their dead-letter topics, at start when they are missing; off where topics are an
     *                            operator's (a principal without the right to create them)
     * @param partitions          partitions of a topic created here
     * @param replicationFactor   replicas of each partition of a topic created here
     * @param minInsyncReplicas   replicas that must have a record before the broker acknowledges it
     * @param retention           how long an event topic keeps its records; negative: for ever
     * @param deadLetterRetention how long a dead-letter topic keeps its records; negative: for ever
     * @param provisioningTimeout longest wait for the broker while creating topics at start
     * @param requireReplication  refuse to start when a topic the service uses has fewer replicas or a lower
     *                            min.insync.replicas than configured here; otherwise a warning names them (on under
     *                            the services' prod profile)
     */
    public record Topics(
            @DefaultValue("true") boolean provision,
            @DefaultValue("6") int partitions,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("1") int minInsyncReplicas,
            @DefaultValue("-1ms") Duration retention,
            @DefaultValue("28d") Duration deadLetterRetention,
            @DefaultValue("60s") Duration provisioningTimeout,
            @DefaultValue("false") boolean requireReplication) {

        public TopicSettings settings() {
            return new TopicSettings(partitions, replicationFactor, minInsyncReplicas, retention, deadLetterRetention);
        }
    }

    /**
     * @param enabled      run the relay in this process; off in an instance that only writes (another instance, or a
     *                     process of its own, publishes)
     * @param batchSize    outbox rows claimed and published per cycle
     * @param pollInterval longest wait between two cycles when no writer of this process signals a commit
     * @param linger       the producer's linger.ms: how long a batch of records waits for more
     * @param sendTimeout  longest wait for the broker to acknowledge a cycle's records; the rows stay and the cycle is
     *                     tried again after it
     * @param drainTimeout longest wait at shutdown for the relay to publish what is left
     * @param maxBackoff   longest pause of a partition, or of the relay, after failed sends
     */
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

    /**
     * @param enabled         run a listener container per EventConsumer bean; off in an instance that only
     *                        serves requests
     * @param concurrency     consumer threads per subscription (at most the topic's partition count is useful)
     * @param maxPollRecords  records per poll, so per database transaction
     * @param retries         retries of a failing record after its first attempt, before it is dead-lettered
     * @param initialBackoff  pause before the first retry; doubled each time up to max-backoff
     * @param maxBackoff      longest pause between two retries
     * @param shutdownTimeout longest wait for the batch in hand when the service stops
     * @param sessionTimeout  how soon the group gives a crashed instance's partitions to another one
     */
    public record Consumer(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1") int concurrency,
            @DefaultValue("500") int maxPollRecords,
            @DefaultValue("4") int retries,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("5s") Duration maxBackoff,
            @DefaultValue("20s") Duration shutdownTimeout,
            @DefaultValue("10s") Duration sessionTimeout) {

        ConsumerSettings settings() {
            return new ConsumerSettings(
                    concurrency, maxPollRecords, retries, initialBackoff, maxBackoff, shutdownTimeout, sessionTimeout);
        }
    }

    /**
     * @param enabled    read the lag of this service's consumer groups at interval, for the metrics, the
     *                   health and GET /ops/lag
     * @param interval   how often the lag is read
     * @param groups     groups to watch beside those of the service's EventConsumers (a Kafka Streams
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
            @DefaultValue("1000") int purgeBatchSize) {}
}
