package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.payment.domain.Payment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Refund requests and how they went; every method runs in the caller's transaction. */
public interface Refunds {

    /** Asks for the payment's refund, due at once; a second request for the same order changes nothing. */
    void request(Payment payment, String reason, Envelope cause, Instant now);

    /** Pending refunds that are due, locked until the transaction ends; those another worker holds are skipped. */
    List<PendingRefund> claimDue(Instant now, int limit);

    void refunded(UUID orderId, String refundId, int attempts, Instant now);

    void failed(UUID orderId, String error, int attempts, Instant now);

    void retryLater(UUID orderId, String error, int attempts, Instant nextAttemptAt);

    /** Where an order's refund stands, for operators. */
    java.util.Optional<RefundState> find(UUID orderId);

    /** A refund as operators see it. */
    record RefundState(String status, int attempts, String refundId, String lastError, Instant requestedAt,
                       Instant completedAt) {
    }
}
