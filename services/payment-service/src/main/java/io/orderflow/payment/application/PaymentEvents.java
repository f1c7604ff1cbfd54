package io.orderflow.payment.application;

import java.time.Instant;

/** What the refund worker publishes, through the outbox of its transaction. */
public interface PaymentEvents {

    /** The provider holds no charge of the cancelled order: nothing was charged, and the payment is settled. */
    void voided(PendingRefund check, Instant at);

    void refunded(PendingRefund refund, String refundId, Instant at);

    void refundFailed(PendingRefund refund, String reason, int attempts, Instant at);
}
