package io.orderflow.view.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.orderflow.contracts.Topics;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.AccessNeeds;
import io.orderflow.eventing.topic.ClusterAccess;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.topic.TopicSettings;
import io.orderflow.view.topology.OrderViewTopology;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams application of this instance. It starts once the web server has its port, because the other
 * instances forward queries to that port ({@code application.server}), and it keeps its state directory: a restart
 * restores the stores from what is on disk plus the changelogs' tail, never from scratch.
 */
public final class ViewStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewStreams.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final ViewProperties properties;
    private final Map<String, Object> streamsConfig;
    private final Map<String, Object> adminConfig;
    private final TopicSettings topicSettings;
    private final EventSerdes serdes;
    private final OrderViewUpdates updates;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private volatile HostInfo self;
    private volatile int httpPort = -1;

    public ViewStreams(
            ViewProperties properties,
            Map<String, Object> streamsConfig,
            Map<String, Object> adminConfig,
            TopicSettings topicSettings,
            EventSerdes serdes,
            OrderViewUpdates updates,
            Clock clock,
            MeterRegistry meters) {
        this.properties = properties;
        this.streamsConfig = streamsConfig;
        this.adminConfig = adminConfig;
        this.topicSettings = topicSettings;
        this.serdes = serdes;
        this.updates = updates;
        this.clock = clock;
        this.meters = meters;
    }

    /** Starts the application, answering queries at {@code httpPort}; {@code clean} wipes local state first. */
    public synchronized void start(int httpPort, boolean clean) {
        if (streams != null) {
            throw new IllegalStateException("the view is running");
        }
        // As a service does at start-up: a wrong password, an untrusted certificate or a missing ACL stops it here,
        // saying what to fix, rather than failing a stream thread over and over later.
        ClusterAccess access = new ClusterAccess(adminConfig);
        access.connect(STARTUP_TIMEOUT);
        AccessNeeds needs = AccessNeeds.of(List.of(), Topics.ALL, List.of(properties.applicationId()));
        List<String> missing = access.missing(needs, STARTUP_TIMEOUT);
        if (!missing.isEmpty()) {
            throw access.refusal(missing);
        }
        // The source topics and their dead-letter topics; Streams itself creates its internal topics.
        new TopicProvisioner(adminConfig, topicSettings).provision(Topics.ALL, STARTUP_TIMEOUT);
        // Those it created just now were not there to be checked: on a fresh cluster, this is the check.
        missing = access.missing(needs, STARTUP_TIMEOUT);
        if (!missing.isEmpty()) {
            throw access.refusal(missing);
        }
        this.httpPort = httpPort;
        self = new HostInfo(properties.advertisedHost(), httpPort);
        KafkaStreams created = new KafkaStreams(
                OrderViewTopology.build(serdes, updates, properties.applicationId(), properties.windows(), clock),
                config(self));
        created.setUncaughtExceptionHandler(error -> {
            log.error("A stream thread failed; it is replaced and resumes from the last commit", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((now, before) -> log.info("Order view {} -> {}", before, now));
        if (clean) {
            created.cleanUp();
        }
        // Commit latency, process rate, lag per partition, store latencies: what explains the view's freshness.
        streamsMetrics = new KafkaStreamsMetrics(created);
        streamsMetrics.bindTo(meters);
        created.start();
        streams = created;
    }

    /** Starts again after {@link #stop()}; with {@code clean}, from an empty state directory. */
    public void restart(boolean clean) {
        if (httpPort < 0) {
            throw new IllegalStateException("the view was never started");
        }
        start(httpPort, clean);
    }

    /**
     * Stops the application, committing what it has done. Another instance takes its partitions over once the group
     * drops it: at once for a static member ({@code group.instance.id}), which {@code leaveGroup} removes; after its
     * session timeout for a dynamic one, which Kafka Streams does not take out of the group on close.
     */
    public synchronized void stop() {
        KafkaStreams running = streams;
        streams = null;
        if (running != null) {
            running.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            streamsMetrics.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public HostInfo self() {
        return self;
    }

    public String applicationId() {
        return properties.applicationId();
    }

    public Optional<KafkaStreams.State> state() {
        return Optional.ofNullable(streams).map(KafkaStreams::state);
    }

    /** The instance whose active store holds {@code key}; empty while that is not known (rebalancing). */
    public Optional<HostInfo> ownerOf(String store, String key) {
        KafkaStreams running = running();
        KeyQueryMetadata metadata =
                running.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    /** Every instance that has some of the store. */
    public Collection<HostInfo> instancesOf(String store) {
        return running().streamsMetadataForStore(store).stream()
                .map(StreamsMetadata::hostInfo)
                .toList();
    }

    public <T> T store(String name, QueryableStoreType<T> type) {
        return running().store(StoreQueryParameters.fromNameAndType(name, type));
    }

    private KafkaStreams running() {
        KafkaStreams running = streams;
        if (running == null || !running.state().isRunningOrRebalancing()) {
            throw new ViewUnavailableException(
                    "the order view is " + state().map(Enum::name).orElse("stopped"));
        }
        return running;
    }

    private Properties config(HostInfo server) {
        Properties config = new Properties();
        config.putAll(streamsConfig);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.host() + ":" + server.port());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, properties.processingGuarantee());
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                properties.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topicSettings.replicationFactor());
        // The changelogs hold the views' state: a write to them needs as many replicas as an event's does.
        config.put(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), topicSettings.minInsyncReplicas());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(server.port()).toString());
        // A view folds an order's facts in any order (its status derives from the set of them), so a task need not
        // hold back one topic's records until the others have been fetched to pick the oldest first.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // A stream thread checks whether a commit is due only between polls: a thread waiting for records notices
        // within 10 ms rather than the default 100 ms.
        config.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        return config;
    }

    /** Two instances on one machine must not share a state directory: the default is one per port. */
    private Path stateDir(int port) {
        if (properties.stateDir() != null && !properties.stateDir().isBlank()) {
            return Path.of(properties.stateDir());
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "orderflow-view", properties.applicationId() + "-" + port);
    }
}
