package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.outbox.ReliableProducer;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

/**
 * The outbox relay, run with the application ({@link OutboxRelayLifecycle}): it publishes the committed outbox rows.
 * Off with {@code orderflow.eventing.relay.enabled=false}, where another instance or process publishes.
 */
@AutoConfiguration(after = EventingJdbcAutoConfiguration.class)
@ConditionalOnBean(EventingJdbcAutoConfiguration.class)
@ConditionalOnSwitch("orderflow.eventing.relay.enabled")
public class OutboxRelayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOn({EventingStartup.TABLES, EventingStartup.TOPICS, EventingStartup.SCHEMAS})
    OutboxRelayLifecycle outboxRelay(
            DataSource dataSource,
            KafkaProperties kafka,
            EventingProperties properties,
            ObjectProvider<MeterRegistry> meters,
            OutboxSignal committed) {
        Map<String, Object> config = ReliableProducer.config(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-outbox-relay");
        // A broker that does not answer fails the cycle within the send timeout (rows stay, the cycle is retried)
        // instead of holding the claimed rows, and a shutdown, for the producer's two-minute default.
        long sendTimeout = properties.relay().sendTimeout().toMillis();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, sendTimeout / 3));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout / 3);
        var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        return new OutboxRelayLifecycle(new OutboxRelay(
                dataSource,
                producer,
                properties.relay().settings(),
                committed,
                meters.getIfAvailable(SimpleMeterRegistry::new)));
    }
}
