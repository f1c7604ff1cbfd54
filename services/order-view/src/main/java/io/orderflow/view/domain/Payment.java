package io.orderflow.view.domain;

import java.math.BigDecimal;

/** The payment as far as the view knows it. */
public record Payment(
        Status status, BigDecimal amount, String currency, String chargeId, String refundId, String reason) {

    public enum Status {
        AUTHORIZED,
        DECLINED,
        VOIDED,
        REFUNDED,
        REFUND_FAILED
    }

    Payment with(Status newStatus, String newReason) {
        return new Payment(newStatus, amount, currency, chargeId, refundId, newReason);
    }
}
