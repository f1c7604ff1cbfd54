package io.orderflow.payment.application;

import io.orderflow.payment.domain.Payment;
import java.util.Optional;
import java.util.UUID;

/** Payment decisions, one per order; every method runs in the caller's transaction. */
public interface PaymentRepository {

    /**
     * Serializes everything done to one order's payment until the transaction ends: a charge and a cancellation
     * arriving on two topics at once must not both find "nothing decided yet".
     */
    void lock(UUID orderId);

    /**
     * {@link #lock} for several orders, in one round trip and in the one order every caller gets (so two batches
     * cannot deadlock). A batch that will lock its orders one by one locks them all here first.
     */
    void lockAll(java.util.Collection<UUID> orderIds);

    /** Of these orders, those that have a decision. */
    java.util.Set<UUID> decidedAmong(java.util.Collection<UUID> orderIds);

    /** Stores several decisions in one round trip. */
    void insertAll(java.util.List<Payment> payments);

    Optional<Payment> find(UUID orderId);

    void insert(Payment payment);
}
