package io.orderflow.order.application;

import java.util.Optional;
import java.util.UUID;

/**
 * Remembers which order an idempotency key created, within the caller's transaction. A key is the customer's own: the
 * same key used for another customer is another key.
 */
public interface IdempotencyKeys {

    /**
     * Claims a key for a new order. A concurrent claim of the same key waits for this transaction to end.
     *
     * @return empty when the key is now ours; otherwise what it was claimed for before
     */
    Optional<Claimed> claim(String customerId, String key, String fingerprint, UUID orderId);

    /** What the key was claimed for, if it was. */
    Optional<Claimed> find(String customerId, String key);

    /** What a key was claimed for. */
    record Claimed(String fingerprint, UUID orderId) {}
}
