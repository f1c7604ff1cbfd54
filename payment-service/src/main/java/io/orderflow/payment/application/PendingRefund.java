package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import java.math.BigDecimal;
import java.util.UUID;

/** A refund still to be made, with the attempts made so far and the event that asked for it. */
public record PendingRefund(UUID orderId, String chargeId, BigDecimal amount, String currency, int attempts,
                            Envelope cause) {
}
