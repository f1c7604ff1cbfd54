package io.orderflow.eventing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real producer whose sends of chosen keys fail with a chosen error instead of reaching the broker: how a test
 * makes one aggregate's partition look offline while every other send goes to the real broker.
 */
final class FailingSends extends KafkaProducer<String, byte[]> {

    private final Map<String, RuntimeException> failingKeys = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Set<String> failedKeys = ConcurrentHashMap.newKeySet();

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

    void heal(String key) {
        failingKeys.remove(key);
    }

    boolean hasFailed(String key) {
        return failedKeys.contains(key);
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
        return super.send(record, callback);
    }
}
