package io.orderflow.order.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How order-service runs its saga.
 *
 * @param paymentTimeout      how long after placing an order its payment may take before the order is cancelled
 * @param deadlinePollInterval how often due deadlines are looked for
 * @param snapshotEvery       a snapshot is kept after every this many events of an order
 * @param maxConcurrentRetries how many times a command is decided again when another writer got there first
 */
@ConfigurationProperties("orderflow.order")
public record OrderSagaProperties(
        @DefaultValue("30s") Duration paymentTimeout,
        @DefaultValue("500ms") Duration deadlinePollInterval,
        @DefaultValue("5") int snapshotEvery,
        @DefaultValue("5") int maxConcurrentRetries) {

    public OrderSagaProperties {
        if (paymentTimeout.isNegative() || paymentTimeout.isZero()) {
            throw new IllegalArgumentException("orderflow.order.payment-timeout must be positive");
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("orderflow.order.snapshot-every must be at least 1");
        }
        if (maxConcurrentRetries < 1) {
            throw new IllegalArgumentException("orderflow.order.max-concurrent-retries must be at least 1");
        }
    }
}
