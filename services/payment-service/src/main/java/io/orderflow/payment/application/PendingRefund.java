package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * A refund still to be made, with the attempts made so far and the cancellation that asked for it.
 *
 * @param chargeId null while the charge is still to be looked for (a lost-charge check)
 * @param reason   why the order was cancelled
 */
public record PendingRefund(
        UUID orderId,
        String chargeId,
        BigDecimal amount,
        String currency,
        int attempts,
        String reason,
        Envelope cause) {

    public boolean isLostChargeCheck() {
        return chargeId == null;
    }

    public PendingRefund of(ChargeFound charge) {
        return new PendingRefund(
                orderId, charge.chargeId(), charge.amount(), charge.currency(), attempts, reason, cause);
    }
}
