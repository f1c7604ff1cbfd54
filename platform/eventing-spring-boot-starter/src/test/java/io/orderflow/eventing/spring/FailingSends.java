package io.orderflow.eventing.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real producer whose sends of chosen keys fail with a chosen error instead of reaching the broker: how a test
 * makes one aggregate's partition look offline while every other send goes to the real broker. It can also make a
 * whole partition dead: its sends neither reach the broker nor fail until the delivery timeout, and a flush waits
 * for them, as the real producer does with a partition that has no leader.
 */
final class FailingSends extends KafkaProducer<String, byte[]> {

    private final Map<String, RuntimeException> failingKeys = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Set<String> failedKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledgedKeys = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<RecordMetadata>> hangingSends = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService deliveryTimeouts = Executors.newSingleThreadScheduledExecutor();
    private volatile TopicPartition deadPartition;
    private volatile Duration deliveryTimeout;

    FailingSends(Map<String, Object> config) {
        super(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends of {@code key} fail with {@code failure}, {@code times} times (then they go through). */
    FailingSends failing(String key, RuntimeException failure, int times) {
        failingKeys.put(key, failure);
        failuresLeft.put(key, new AtomicInteger(times));
        return this;
    }

    /** Sends of {@code key} fail with {@code failure} until it is healed. */
    FailingSends failingAll(String key, RuntimeException failure) {
        return failing(key, failure, Integer.MAX_VALUE);
    }

    /** Sends to {@code partition} hang, then fail when {@code timeout} has passed, until it is revived. */
    FailingSends dead(TopicPartition partition, Duration timeout) {
        deliveryTimeout = timeout;
        deadPartition = partition;
        return this;
    }

    void revive() {
        deadPartition = null;
    }

    void heal(String key) {
        failingKeys.remove(key);
    }

    boolean hasFailed(String key) {
        return failedKeys.contains(key);
    }

    /** Whether the broker has acknowledged a record with this key: it is on its topic. */
    boolean hasBeenAcknowledged(String key) {
        return acknowledgedKeys.contains(key);
    }

    /** The partition the producer's default partitioner gives this key (keys are serialized as UTF-8). */
    static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        RuntimeException failure = failingKeys.get(record.key());
        if (failure != null && failuresLeft.get(record.key()).getAndDecrement() > 0) {
            failedKeys.add(record.key());
            if (callback != null) {
                callback.onCompletion(null, failure);
            }
            return CompletableFuture.failedFuture(failure);
        }
        if (isToTheDeadPartition(record)) {
            return hangUntilTheDeliveryTimeout(record, callback);
        }
        return super.send(record, (metadata, exception) -> {
            if (exception == null) {
                acknowledgedKeys.add(record.key());
            }
            if (callback != null) {
                callback.onCompletion(metadata, exception);
            }
        });
    }

    @Override
    public void flush() {
        super.flush();
        for (CompletableFuture<RecordMetadata> send : hangingSends) {
            send.exceptionally(failure -> null).join();
        }
    }

    @Override
    public void close(Duration timeout) {
        deliveryTimeouts.shutdownNow();
        super.close(timeout);
    }

    private boolean isToTheDeadPartition(ProducerRecord<String, byte[]> record) {
        TopicPartition dead = deadPartition;
        if (dead == null || !dead.topic().equals(record.topic())) {
            return false;
        }
        int partition = record.partition() != null
                ? record.partition()
                : partitionOf(record.key(), partitionsFor(record.topic()).size());
        return partition == dead.partition();
    }

    private Future<RecordMetadata> hangUntilTheDeliveryTimeout(
            ProducerRecord<String, byte[]> record, Callback callback) {
        CompletableFuture<RecordMetadata> send = new CompletableFuture<>();
        hangingSends.add(send);
        deliveryTimeouts.schedule(
                () -> {
                    TimeoutException expired =
                            new TimeoutException("injected: Expiring 1 record(s) for " + record.topic() + ": "
                                    + deliveryTimeout.toMillis() + " ms has passed since batch creation");
                    if (callback != null) {
                        callback.onCompletion(null, expired);
                    }
                    send.completeExceptionally(expired);
                    hangingSends.remove(send);
                },
                deliveryTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        return send;
    }
}
