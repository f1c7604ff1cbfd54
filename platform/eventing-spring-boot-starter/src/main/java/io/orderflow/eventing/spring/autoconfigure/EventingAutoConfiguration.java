package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.tracing.Tracer;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.RegisteredSchemas;
import io.orderflow.eventing.topic.AccessNeeds;
import io.orderflow.eventing.topic.ClusterAccess;
import io.orderflow.eventing.topic.ProvisionedTopics;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.tracing.EventTracing;
import io.orderflow.eventing.tracing.MicrometerEventTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * The library's base in a Spring Boot service: serdes on the schema registry, tracing, and two of the start-up steps
 * of {@link EventingStartup}: the topics of the {@link Topic} and {@link EventConsumer} beans exist, and their schemas
 * fit the registry. The database parts ({@link EventingJdbcAutoConfiguration}), the relay and the consumers build on
 * it. {@code orderflow.eventing.enabled=false} switches all of them off.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnSwitch("orderflow.eventing.enabled")
@EnableConfigurationProperties(EventingProperties.class)
public class EventingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    EventSerdes eventSerdes(EventingProperties properties) {
        var registry = properties.schemaRegistry();
        return new EventSerdes(registry.client(), registry.autoRegister());
    }

    /** How writers of this process wake its relay; one per process, shared by the outbox and the relay. */
    @Bean
    @ConditionalOnMissingBean
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    @Bean
    @ConditionalOnMissingBean
    TopicProvisioner topicProvisioner(KafkaProperties kafka, EventingProperties properties) {
        return new TopicProvisioner(
                kafka.buildAdminProperties(), properties.topics().settings());
    }

    /**
     * Start-up step: the service may reach Kafka and do there what it needs, its topics and their dead-letter topics
     * exist, and they are replicated as configured. Each failure stops the start with what to fix.
     */
    @Bean
    @ConditionalOnMissingBean
    ClusterAccess clusterAccess(KafkaProperties kafka) {
        return new ClusterAccess(kafka.buildAdminProperties());
    }

    @Bean(EventingStartup.TOPICS)
    ProvisionedTopics eventingTopics(
            ClusterAccess access,
            TopicProvisioner provisioner,
            EventingProperties properties,
            ObjectProvider<Topic> topics,
            ObjectProvider<EventConsumer> consumers) {
        Duration timeout = properties.topics().provisioningTimeout();
        List<Topic> written = topics.orderedStream().toList();
        List<EventConsumer> consuming = consumers.orderedStream().toList();
        if (written.isEmpty() && consuming.isEmpty()) {
            return new ProvisionedTopics(Set.of());
        }
        access.connect(timeout);
        // Before creating anything: what the principal may not do is the first thing to fix, and a creation refused
        // for a topic it may not even see would only say half of it.
        AccessNeeds needs = AccessNeeds.of(
                        written,
                        consuming.stream()
                                .flatMap(consumer -> consumer.topics().stream())
                                .toList(),
                        consuming.stream().map(EventConsumer::name).toList())
                .readingConfigs();
        List<String> missing = access.missing(needs, timeout);
        if (!missing.isEmpty()) {
            throw access.refusal(missing);
        }
        Set<String> names = new LinkedHashSet<>();
        if (properties.topics().provision()) {
            List<Topic> all = new ArrayList<>(written);
            consuming.stream().flatMap(consumer -> consumer.topics().stream()).forEach(all::add);
            names.addAll(provisioner.provision(all, timeout));
        } else {
            Stream.concat(written.stream(), consuming.stream().flatMap(consumer -> consumer.topics().stream()))
                    .forEach(topic -> {
                        names.add(topic.name());
                        names.add(topic.deadLetterTopic());
                    });
        }
        if (!names.isEmpty()) {
            ReplicationCheck.report(provisioner.replicationMisfits(names, timeout), properties.topics());
        }
        if (properties.topics().provision()) {
            // A topic created just now was not there to be checked: on a fresh cluster, this is the check. After the
            // replication check, which waited until every topic is known.
            missing = access.missing(needs, timeout);
            if (!missing.isEmpty()) {
                throw access.refusal(missing);
            }
        }
        return new ProvisionedTopics(properties.topics().provision() ? names : Set.of());
    }

    /** Start-up step: the schemas of what the service writes and reads fit the registry; it refuses to start if not. */
    @Bean(EventingStartup.SCHEMAS)
    RegisteredSchemas eventingSchemas(
            EventSerdes serdes, ObjectProvider<Topic> topics, ObjectProvider<EventConsumer> consumers) {
        return RegisteredSchemas.check(
                serdes,
                topics.orderedStream().toList(),
                consumers
                        .orderedStream()
                        .flatMap(consumer -> consumer.topics().stream())
                        .toList());
    }

    /** Spans from the application's Micrometer tracer when it has one; the log context alone otherwise. */
    @Bean
    @ConditionalOnMissingBean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer) {
        Tracer available = tracer.getIfAvailable();
        return available == null ? EventTracing.LOG_CONTEXT_ONLY : new MicrometerEventTracing(available);
    }
}
