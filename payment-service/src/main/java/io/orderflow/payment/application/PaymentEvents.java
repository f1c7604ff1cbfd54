package io.orderflow.payment.application;

import java.time.Instant;

/** What the refund worker publishes, through the outbox of its transaction. */
public interface PaymentEvents {

    void refunded(PendingRefund refund, String refundId, Instant at);

    void refundFailed(PendingRefund refund, String reason, int attempts, Instant at);
}
