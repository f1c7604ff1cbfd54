package io.orderflow.payment.application;

/** The provider's answer to a refund: done, or refused for good (asking again would not help). */
public sealed interface RefundOutcome {

    record Refunded(String refundId) implements RefundOutcome {}

    record Refused(String reason) implements RefundOutcome {}
}
