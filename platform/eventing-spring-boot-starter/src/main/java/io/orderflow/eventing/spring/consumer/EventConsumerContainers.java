package io.orderflow.eventing.spring.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.consumer.ConsumerPositions;
import io.orderflow.eventing.consumer.ConsumerSettings;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.RecordFailures;
import io.orderflow.eventing.consumer.RefusedPartitions;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.tracing.EventTracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Runs one listener container per {@link EventConsumer}, subscribed to all its topics. With the default range
 * assignor, a member is assigned the same partition numbers of every topic: an aggregate's events on all of them
 * (the same key, so the same partition number when the partition counts agree) reach the same thread. On stop, each container stops polling, finishes the batch
 * in hand and commits its offsets before the outbox relay (a lower phase) stops.
 */
public final class EventConsumerContainers implements SmartLifecycle {

    /** Stops before the outbox relay, so the relay publishes what the last batches wrote. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();
    private final Map<String, ConcurrentMessageListenerContainer<String, byte[]>> byConsumer = new HashMap<>();
    private final List<RefusedPartitions> allRefused = new ArrayList<>();
    private volatile boolean running;

    public EventConsumerContainers(
            List<EventConsumer> consumers,
            Map<String, Object> kafkaConsumerConfig,
            ConsumerSettings settings,
            DataSource dataSource,
            TransactionTemplate transactions,
            KafkaOperations<?, ?> deadLetterTemplate,
            MeterRegistry meters,
            Clock clock,
            EventSerdes serdes,
            EventTracing tracing) {
        for (EventConsumer consumer : consumers) {
            Map<String, Object> config = new HashMap<>(kafkaConsumerConfig);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, consumer.name());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                    settings.sessionTimeout().toMillis());
            config.put(
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                    (int) settings.sessionTimeout().toMillis() / 3);
            var factory =
                    new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            List<ConsumedTopic> topics = consumer.topics().stream()
                    .map(topic -> ConsumedTopic.of(consumer, topic.name(), serdes.of(topic), config, meters))
                    .toList();
            ContainerProperties properties = new ContainerProperties(
                    topics.stream().map(ConsumedTopic::name).toArray(String[]::new));
            properties.setGroupId(consumer.name());
            properties.setAckMode(ContainerProperties.AckMode.BATCH);
            properties.setShutdownTimeout(settings.shutdownTimeout().toMillis());
            topics.forEach(topic -> allRefused.add(topic.refused()));
            properties.setConsumerRebalanceListener(
                    new StoredPositionSeeker(consumer.name(), dataSource, new ConsumerPositions(), topics));
            RecordFailures failures = new RecordFailures(settings.attempts(), DeadLetters.OUTAGES);
            properties.setMessageListener(
                    new BatchEventListener(consumer, topics, dataSource, transactions, failures, meters, tracing));
            var container = new ConcurrentMessageListenerContainer<>(factory, properties);
            container.setConcurrency(settings.concurrency());
            container.setCommonErrorHandler(
                    DeadLetters.errorHandler(consumer, deadLetterTemplate, settings, failures, clock, meters));
            container.setBeanName(consumer.name());
            containers.add(container);
            byConsumer.put(consumer.name(), container);
        }
    }

    /**
     * Stops fetching records for a consumer, keeping its partitions and its place, e.g. while a circuit breaker of a
     * dependency is open: nothing is fetched only to fail. The batch in hand finishes first.
     */
    public void pause(String consumerName) {
        container(consumerName).pause();
    }

    /** Fetches again for a paused consumer. */
    public void resume(String consumerName) {
        container(consumerName).resume();
    }

    /** Whether a consumer was asked to pause (its threads stop fetching at their next poll). */
    public boolean isPauseRequested(String consumerName) {
        return container(consumerName).isPauseRequested();
    }

    /**
     * The partitions consumers refuse because their stored position there belongs to another topic of the same
     * name, as {@code <consumer> <topic>-<partition>}, with why (docs/eventing.md says what an operator does).
     */
    public Map<String, String> refusedPartitions() {
        Map<String, String> refusals = new TreeMap<>();
        for (RefusedPartitions refused : allRefused) {
            refusals.putAll(refused.described());
        }
        return refusals;
    }

    private ConcurrentMessageListenerContainer<String, byte[]> container(String consumerName) {
        var container = byConsumer.get(consumerName);
        if (container == null) {
            throw new IllegalArgumentException("no consumer named " + consumerName + "; known: " + byConsumer.keySet());
        }
        return container;
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
