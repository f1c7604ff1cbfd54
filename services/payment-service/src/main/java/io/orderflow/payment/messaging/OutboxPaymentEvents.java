package io.orderflow.payment.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.payment.application.PaymentEvents;
import io.orderflow.payment.application.PendingRefund;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** The refund worker's events, caused by the cancellation that asked for the refund. */
@Component
class OutboxPaymentEvents implements PaymentEvents {

    private final Outbox outbox;

    OutboxPaymentEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void voided(PendingRefund check, Instant at) {
        String orderId = check.orderId().toString();
        outbox.appendCausedBy(check.cause(), Topics.PAYMENTS, orderId, new PaymentVoided(orderId, check.reason(), at));
    }

    @Override
    public void refunded(PendingRefund refund, String refundId, Instant at) {
        String orderId = refund.orderId().toString();
        outbox.appendCausedBy(
                refund.cause(),
                Topics.PAYMENTS,
                orderId,
                PaymentRefunded.newBuilder()
                        .setOrderId(orderId)
                        .setChargeId(refund.chargeId())
                        .setRefundId(refundId)
                        .setAmount(refund.amount())
                        .setCurrency(refund.currency())
                        .setRefundedAt(at)
                        .build());
    }

    @Override
    public void refundFailed(PendingRefund refund, String reason, int attempts, Instant at) {
        String orderId = refund.orderId().toString();
        outbox.appendCausedBy(
                refund.cause(),
                Topics.PAYMENTS,
                orderId,
                new PaymentRefundFailed(
                        orderId,
                        java.util.Objects.requireNonNullElse(refund.chargeId(), "unknown: no charge was recorded"),
                        reason,
                        attempts,
                        at));
    }
}
