package io.orderflow.eventing.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.serde.EventSerdes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one listener container per {@link EventConsumer}. On stop, each container stops polling, finishes the batch
 * in hand and commits its offsets before the outbox relay (a lower phase) stops.
 */
public final class EventConsumerContainers implements SmartLifecycle {

    /** Stops before the outbox relay, so the relay publishes what the last batches wrote. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();
    private volatile boolean running;

    public EventConsumerContainers(List<EventConsumer> consumers, Map<String, Object> kafkaConsumerConfig,
                                   ConsumerSettings settings, DataSource dataSource,
                                   TransactionTemplate transactions, KafkaOperations<?, ?> deadLetterTemplate,
                                   MeterRegistry meters, Clock clock, EventSerdes serdes) {
        for (EventConsumer consumer : consumers) {
            Map<String, Object> config = new HashMap<>(kafkaConsumerConfig);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, consumer.name());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) settings.sessionTimeout().toMillis() / 3);
            var factory = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer());
            ContainerProperties properties = new ContainerProperties(consumer.topic().name());
            properties.setGroupId(consumer.name());
            properties.setAckMode(ContainerProperties.AckMode.BATCH);
            properties.setShutdownTimeout(settings.shutdownTimeout().toMillis());
            properties.setMessageListener(new BatchEventListener(consumer, serdes.of(consumer.topic()), dataSource,
                    transactions, meters));
            var container = new ConcurrentMessageListenerContainer<>(factory, properties);
            container.setConcurrency(settings.concurrency());
            container.setCommonErrorHandler(DeadLetters.errorHandler(deadLetterTemplate, settings, clock));
            container.setBeanName(consumer.name() + "@" + consumer.topic().name());
            containers.add(container);
        }
    }

    @Override
    public void start() {
        containers.forEach(ConcurrentMessageListenerContainer::start);
        running = true;
    }

    @Override
    public void stop() {
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
