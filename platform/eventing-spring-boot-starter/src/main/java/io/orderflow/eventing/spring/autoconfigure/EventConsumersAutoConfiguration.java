package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.outbox.ReliableProducer;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import io.orderflow.eventing.tracing.EventTracing;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A Spring Kafka listener container per {@link EventConsumer} bean, each batch in one transaction of the service's
 * database, with retries and dead letters. Off with {@code orderflow.eventing.consumer.enabled=false}.
 */
@AutoConfiguration(after = EventingJdbcAutoConfiguration.class)
@ConditionalOnBean({EventingJdbcAutoConfiguration.class, PlatformTransactionManager.class})
@ConditionalOnSwitch("orderflow.eventing.consumer.enabled")
public class EventConsumersAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadLetterProducer deadLetterProducer(KafkaProperties kafka, EventingProperties properties) {
        Map<String, Object> config = ReliableProducer.config(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-dead-letters");
        return new DeadLetterProducer(
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOn({EventingStartup.TABLES, EventingStartup.TOPICS, EventingStartup.SCHEMAS})
    EventConsumerContainers eventConsumerContainers(
            ObjectProvider<EventConsumer> consumers,
            KafkaProperties kafka,
            EventingProperties properties,
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            DeadLetterProducer deadLetters,
            ObjectProvider<MeterRegistry> meters,
            Clock clock,
            EventSerdes serdes,
            EventTracing tracing) {
        return new EventConsumerContainers(
                consumers.orderedStream().toList(),
                kafka.buildConsumerProperties(),
                properties.consumer().settings(),
                dataSource,
                new TransactionTemplate(transactionManager),
                deadLetters.template(),
                meters.getIfAvailable(SimpleMeterRegistry::new),
                clock,
                serdes,
                tracing);
    }

    /** {@code consumerPositions} in the health: DOWN while a consumer refuses a partition. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("consumer-positions")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "consumerPositionsHealth")
        ConsumerPositionsHealth consumerPositionsHealth(EventConsumerContainers containers) {
            return new ConsumerPositionsHealth(containers);
        }
    }
}
