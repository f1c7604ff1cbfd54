package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.inbox.InboxRetention;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.ReliableProducer;
import io.orderflow.eventing.db.EventingSchema;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.RegisteredSchemas;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.topic.ProvisionedTopics;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.tracing.EventTracing;
import io.orderflow.eventing.tracing.MicrometerEventTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the eventing library into a Spring Boot service: the outbox and its relay, the consumers declared as
 * {@link EventConsumer} beans, and the topics of the {@link Topic} beans and of those consumers.
 *
 * <p>Some bean methods take an {@link EventingSchema}, {@link ProvisionedTopics} or {@link RegisteredSchemas} they
 * do not use: that orders the start-up, so the tables, topics and schemas are in place before anything reads or
 * writes them, and a service whose schemas do not fit fails before its web server opens.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        KafkaAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties(EventingProperties.class)
public class EventingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventingSchema eventingSchema(DataSource dataSource, EventingProperties properties) {
        return new EventingSchema(dataSource, require(properties.schema(), "orderflow.eventing.schema"));
    }

    @Bean
    ProvisionedTopics provisionedTopics(KafkaProperties kafka, EventingProperties properties,
                                        ObjectProvider<Topic> topics, ObjectProvider<EventConsumer> consumers) {
        List<Topic> all = new ArrayList<>(topics.orderedStream().toList());
        consumers.orderedStream().map(EventConsumer::topic).forEach(all::add);
        TopicProvisioner provisioner = new TopicProvisioner(kafka.buildAdminProperties(),
                properties.topics().settings());
        return new ProvisionedTopics(provisioner.provision(all, properties.topics().provisioningTimeout()));
    }

    @Bean
    @ConditionalOnMissingBean
    EventSerdes eventSerdes(EventingProperties properties) {
        var registry = properties.schemaRegistry();
        return new EventSerdes(new SchemaRegistryClient(registry.url(), registry.timeout()), registry.autoRegister());
    }

    @Bean
    RegisteredSchemas registeredSchemas(EventSerdes serdes, ObjectProvider<Topic> topics,
                                        ObjectProvider<EventConsumer> consumers) {
        return RegisteredSchemas.check(serdes, topics.orderedStream().toList(),
                consumers.orderedStream().map(EventConsumer::topic).toList());
    }

    /** Spans from the application's Micrometer tracer when it has one; the log context alone otherwise. */
    @Bean
    @ConditionalOnMissingBean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer) {
        Tracer available = tracer.getIfAvailable();
        return available == null ? EventTracing.LOG_CONTEXT_ONLY : new MicrometerEventTracing(available);
    }

    @Bean
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    @Bean
    Outbox outbox(DataSource dataSource, EventingProperties properties, Clock clock, EventingSchema schema,
                  EventSerdes serdes, OutboxSignal committed, EventTracing tracing) {
        return new Outbox(dataSource, require(properties.serviceName(), "orderflow.eventing.service-name"), clock,
                serdes, committed, tracing);
    }

    @Bean
    @ConditionalOnProperty(prefix = "orderflow.eventing.relay", name = "enabled", matchIfMissing = true)
    OutboxRelayLifecycle outboxRelay(DataSource dataSource, KafkaProperties kafka, EventingProperties properties,
                                     ObjectProvider<MeterRegistry> meters, EventingSchema schema,
                                     ProvisionedTopics topics, RegisteredSchemas registered,
                                     OutboxSignal committed) {
        Map<String, Object> config = reliableProducerConfig(kafka);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-outbox-relay");
        // A broker that does not answer fails the cycle within the send timeout (rows stay, the cycle is retried)
        // instead of holding the claimed rows, and a shutdown, for the producer's two-minute default.
        long sendTimeout = properties.relay().sendTimeout().toMillis();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, sendTimeout / 3));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout / 3);
        var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        return new OutboxRelayLifecycle(new OutboxRelay(dataSource, producer, properties.relay().settings(),
                committed, meters.getIfAvailable(SimpleMeterRegistry::new)));
    }

    @Bean(destroyMethod = "close")
    InboxRetention inboxRetention(DataSource dataSource, EventingProperties properties, Clock clock,
                                  ObjectProvider<MeterRegistry> meters, EventingSchema schema) {
        EventingProperties.Inbox inbox = properties.inbox();
        Duration deadLetters = properties.topics().deadLetterRetention();
        // A negative retention is Kafka's "for ever": then the inbox must never forget either.
        boolean keptForEver = inbox.retention().isNegative();
        if (!keptForEver && (deadLetters.isNegative() || inbox.retention().compareTo(deadLetters) < 0)) {
            throw new IllegalStateException("orderflow.eventing.inbox.retention (" + inbox.retention()
                    + ") is shorter than the dead-letter retention (" + (deadLetters.isNegative() ? "for ever"
                    : deadLetters) + "): a dead letter replayed after its event left the inbox would be applied "
                    + "twice by the groups that had handled it");
        }
        InboxRetention retention = new InboxRetention(dataSource, inbox.retention(), inbox.purgeBatchSize(), clock,
                meters.getIfAvailable(SimpleMeterRegistry::new));
        if (!keptForEver) {
            retention.start(inbox.purgeInterval());
        }
        return retention;
    }

    @Bean
    DeadLetterProducer deadLetterProducer(KafkaProperties kafka, EventingProperties properties) {
        Map<String, Object> config = reliableProducerConfig(kafka);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-dead-letters");
        return new DeadLetterProducer(new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                new ByteArraySerializer()));
    }

    @Bean
    EventConsumerContainers eventConsumerContainers(ObjectProvider<EventConsumer> consumers, KafkaProperties kafka,
                                                    EventingProperties properties, DataSource dataSource,
                                                    PlatformTransactionManager transactionManager,
                                                    DeadLetterProducer deadLetters,
                                                    ObjectProvider<MeterRegistry> meters, Clock clock,
                                                    EventingSchema schema, ProvisionedTopics topics,
                                                    EventSerdes serdes, RegisteredSchemas registered,
                                                    EventTracing tracing) {
        return new EventConsumerContainers(consumers.orderedStream().toList(), kafka.buildConsumerProperties(),
                properties.consumer().settings(), dataSource, new TransactionTemplate(transactionManager),
                deadLetters.template(), meters.getIfAvailable(SimpleMeterRegistry::new), clock, serdes, tracing);
    }

    @Bean
    ConsumerPositionsHealth consumerPositionsHealth(EventConsumerContainers containers) {
        return new ConsumerPositionsHealth(containers);
    }

    private static Map<String, Object> reliableProducerConfig(KafkaProperties kafka) {
        return ReliableProducer.config(kafka.buildProducerProperties());
    }

    private static String require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("set " + property);
        }
        return value;
    }
}
