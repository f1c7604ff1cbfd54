package io.orderflow.eventing.topic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service uses, and their dead-letter topics, when they are missing. Existing topics are left
 * as they are: changing a live topic is an operator's decision.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long RETRY_PAUSE_MS = 100;

    private final Map<String, Object> adminConfig;
    private final TopicSettings settings;

    public TopicProvisioner(Map<String, Object> adminConfig, TopicSettings settings) {
        this.adminConfig = adminConfig;
        this.settings = settings;
    }

    public Set<String> provision(Collection<Topic> topics, Duration timeout) {
        List<NewTopic> wanted = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Topic topic : topics) {
            if (names.add(topic.name())) {
                wanted.add(newTopic(topic.name(), settings.retention()));
            }
            if (names.add(topic.deadLetterTopic())) {
                wanted.add(newTopic(topic.deadLetterTopic(), settings.deadLetterRetention()));
            }
        }
        try (Admin admin = Admin.create(adminConfig)) {
            // Only what is missing: on a cluster with ACLs, creating a topic that exists is refused to a principal
            // without CREATE on it (a consumer of another service's topic) rather than answered "exists".
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            wanted.removeIf(topic -> existing.contains(topic.name()));
            var results = admin.createTopics(wanted).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        ClusterAccess access = new ClusterAccess(adminConfig);
                        throw new IllegalStateException(
                                "Kafka does not allow " + access.principal() + " to create topic " + entry.getKey()
                                        + ": grant it (kafka-acls --add --allow-principal " + access.principal()
                                        + " --operation Create --topic " + entry.getKey() + "), or have an operator"
                                        + " create the service's topics and set orderflow.eventing.topics.provision"
                                        + "=false",
                                e.getCause());
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        RuntimeException explained = new ClusterAccess(adminConfig).explain(e);
                        throw explained == e.getCause()
                                ? new IllegalStateException(
                                        "cannot create topic " + entry.getKey() + ": "
                                                + e.getCause().getMessage(),
                                        e.getCause())
                                : explained;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new ClusterAccess(adminConfig).explain(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within " + timeout + " while creating topics " + names
                            + "; is KAFKA_BOOTSTRAP_SERVERS right?",
                    e);
        }
        return names;
    }

    /**
     * How the named topics, as the cluster has them, fall short of the settings: fewer replicas than
     * {@code replicationFactor}, or a lower {@code min.insync.replicas}. Topics created by someone else, or before
     * the settings were raised, are never changed here; a service says what differs instead. Empty when all fit.
     */
    public List<String> replicationMisfits(Collection<String> names, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                try {
                    return misfits(admin, names, Duration.between(Instant.now(), deadline));
                } catch (ExecutionException e) {
                    // A topic created a moment ago may not be known yet to the broker that answers.
                    // The last try: there is no time left for another after the pause below.
                    if (e.getCause() instanceof UnknownTopicOrPartitionException
                            && Instant.now().plusMillis(RETRY_PAUSE_MS).isAfter(deadline)) {
                        Set<String> missing = new TreeSet<>(names);
                        missing.removeAll(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                        throw new IllegalStateException(
                                missing.isEmpty()
                                        ? "topics " + names + " exist but a broker did not know them within " + timeout
                                                + "; is every broker up?"
                                        : "topic(s) " + missing + " do not exist: create them (with"
                                                + " orderflow.eventing.topics.provision=false that is the deploy's"
                                                + " job), or let the service create them with provision=true",
                                e.getCause());
                    }
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        RuntimeException explained = new ClusterAccess(adminConfig).explain(e);
                        throw explained == e.getCause()
                                ? new IllegalStateException(
                                        "cannot describe topics " + names + ": "
                                                + e.getCause().getMessage(),
                                        e.getCause())
                                : explained;
                    }
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
                }
            }
        } catch (ExecutionException e) {
            throw new ClusterAccess(adminConfig).explain(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within " + timeout + " while describing topics " + names, e);
        }
    }

    private List<String> misfits(Admin admin, Collection<String> names, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        long millis = Math.max(1, timeout.toMillis());
        Map<String, TopicDescription> topics =
                admin.describeTopics(names).allTopicNames().get(millis, TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(millis, TimeUnit.MILLISECONDS);
        List<String> misfits = new ArrayList<>();
        for (String name : names) {
            int replicas = topics.get(name).partitions().stream()
                    .mapToInt(partition -> partition.replicas().size())
                    .min()
                    .orElse(0);
            if (replicas < settings.replicationFactor()) {
                misfits.add(name + " has " + replicas + " replica(s), " + settings.replicationFactor() + " configured");
            }
            ConfigEntry minInsync = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .get("min.insync.replicas");
            int required = minInsync == null ? 1 : Integer.parseInt(minInsync.value());
            if (required < settings.minInsyncReplicas()) {
                misfits.add(name + " has min.insync.replicas " + required + ", " + settings.minInsyncReplicas()
                        + " configured");
            }
        }
        return misfits;
    }

    private NewTopic newTopic(String name, Duration retention) {
        return new NewTopic(name, settings.partitions(), settings.replicationFactor())
                .configs(Map.of(
                        "compression.type", "lz4",
                        "retention.ms", String.valueOf(retention.toMillis()),
                        "min.insync.replicas", String.valueOf(settings.minInsyncReplicas())));
    }
}
