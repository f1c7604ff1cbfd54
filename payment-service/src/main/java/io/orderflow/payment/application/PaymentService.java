package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.payment.domain.Payment;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Decides an order's payment once, whatever the number of deliveries of the event that asks for it. */
@Service
public class PaymentService {

    private final PaymentRepository payments;
    private final PaymentGateway gateway;
    private final Refunds refunds;
    private final Clock clock;

    public PaymentService(PaymentRepository payments, PaymentGateway gateway, Refunds refunds, Clock clock) {
        this.payments = payments;
        this.refunds = refunds;
        this.gateway = gateway;
        this.clock = clock;
    }

    /**
     * Asks the provider to authorize an order's total, in the caller's transaction.
     *
     * @return the decision, or empty when this order's payment was decided before
     */
    public Optional<Payment> authorize(UUID orderId, String customerId, BigDecimal amount, String currency) {
        payments.lock(orderId);
        if (payments.find(orderId).isPresent()) {
            return Optional.empty();
        }
        ChargeOutcome outcome = gateway.charge(new ChargeRequest(Payment.authorizationKey(orderId),
                orderId.toString(), amount, currency));
        Payment payment;
        if (outcome instanceof ChargeOutcome.Authorized authorized) {
            payment = Payment.authorized(orderId, customerId, amount, currency, authorized.chargeId(),
                    clock.instant());
        } else {
            payment = Payment.declined(orderId, customerId, amount, currency,
                    ((ChargeOutcome.Declined) outcome).reason(), clock.instant());
        }
        payments.insert(payment);
        return Optional.of(payment);
    }

    /**
     * The order is being cancelled, in the caller's transaction: an order never charged is voided (and never will be
     * charged), a charged one gets a refund request that the refund worker carries out; a declined or already voided
     * one needs nothing.
     *
     * @return the void decision when this call voided the payment
     */
    public Optional<Payment> cancel(UUID orderId, String reason, Envelope cause) {
        payments.lock(orderId);
        Optional<Payment> decided = payments.find(orderId);
        if (decided.isEmpty()) {
            Payment voided = Payment.voided(orderId, reason, clock.instant());
            payments.insert(voided);
            return Optional.of(voided);
        }
        if (decided.get().status() == Payment.Status.AUTHORIZED) {
            refunds.request(decided.get(), reason, cause, clock.instant());
        }
        return Optional.empty();
    }
}
