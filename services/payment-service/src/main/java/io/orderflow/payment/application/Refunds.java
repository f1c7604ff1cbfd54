package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Refund requests and how they went; every method runs in the caller's transaction. */
public interface Refunds {

    /** Asks for the payment's refund, due at once; a second request for the same order changes nothing. */
    void request(UUID orderId, ChargeFound charge, String reason, Envelope cause, Instant now);

    /** Asks the worker to look for a charge of the order whose answer was lost, and to refund it. */
    void requestLostChargeCheck(UUID orderId, String reason, Envelope cause, Instant now);

    /** The lost charge was found: it is now a pending refund, due at once. */
    void chargeFound(UUID orderId, ChargeFound charge);

    /** The provider holds no charge of the order: nothing to refund. */
    void nothingCharged(UUID orderId, Instant now);

    /** Pending refunds and lost-charge checks that are due, the longest due first; nothing is locked. */
    List<UUID> due(Instant now, int limit);

    /**
     * The order's refund or lost-charge check if it is still due, locked until the transaction ends; empty when
     * another worker holds it or it is no longer due.
     */
    java.util.Optional<PendingRefund> claim(UUID orderId, Instant now);

    /** Refunds and checks still to be made whose last attempt failed: retried later, or given up once spent. */
    long failing();

    void refunded(UUID orderId, String refundId, int attempts, Instant now);

    void failed(UUID orderId, String error, int attempts, Instant now);

    void retryLater(UUID orderId, String error, int attempts, Instant nextAttemptAt);

    /** Where an order's refund stands, for operators. */
    java.util.Optional<RefundState> find(UUID orderId);

    /** A refund as operators see it. */
    record RefundState(
            String status, int attempts, String refundId, String lastError, Instant requestedAt, Instant completedAt) {}
}
