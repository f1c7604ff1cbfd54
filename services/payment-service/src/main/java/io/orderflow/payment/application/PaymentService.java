package io.orderflow.payment.application;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.payment.domain.Payment;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
     * Authorizes a batch of orders in the caller's transaction: each order is locked and its decision read, the
     * provider is asked for all undecided ones at once, and the decisions are stored.
     *
     * @return the decision of each order decided now; orders decided before (or twice in the batch) are absent
     */
    public Map<UUID, Payment> authorizeAll(List<ChargeOrder> orders) {
        Map<UUID, ChargeOrder> distinct = new LinkedHashMap<>();
        orders.forEach(order -> distinct.putIfAbsent(order.orderId(), order));
        // Three round trips for the whole batch: lock, read the decisions, store the new ones.
        lockAll(distinct.keySet());
        Set<UUID> decidedBefore = payments.decidedAmong(distinct.keySet());
        List<ChargeOrder> asked = distinct.values().stream()
                .filter(order -> !decidedBefore.contains(order.orderId()))
                .toList();
        List<ChargeOutcome> outcomes = gateway.chargeAll(asked.stream()
                .map(order -> new ChargeRequest(
                        Payment.authorizationKey(order.orderId()),
                        order.orderId().toString(),
                        order.amount(),
                        order.currency()))
                .toList());
        Map<UUID, Payment> decided = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            Payment payment = decide(asked.get(i), outcomes.get(i));
            decided.put(payment.orderId(), payment);
        }
        payments.insertAll(List.copyOf(decided.values()));
        return decided;
    }

    private Payment decide(ChargeOrder order, ChargeOutcome outcome) {
        if (outcome instanceof ChargeOutcome.Authorized authorized) {
            return Payment.authorized(
                    order.orderId(),
                    order.customerId(),
                    order.amount(),
                    order.currency(),
                    authorized.chargeId(),
                    clock.instant());
        }
        return Payment.declined(
                order.orderId(),
                order.customerId(),
                order.amount(),
                order.currency(),
                ((ChargeOutcome.Declined) outcome).reason(),
                clock.instant());
    }

    /**
     * Locks these orders' payments until the transaction ends, in the one order every consumer of this service uses:
     * a batch that takes all its locks here first cannot deadlock with another batch.
     */
    public void lockAll(java.util.Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return;
        }
        payments.lockAll(orderIds);
    }

    /** An order whose stock is reserved, to be charged. */
    public record ChargeOrder(UUID orderId, String customerId, BigDecimal amount, String currency) {}

    /**
     * The order is being cancelled, in the caller's transaction: an order never charged is voided (and never will be
     * charged), a charged one gets a refund request; a declined or already voided one needs nothing. The answer
     * (voided, refunded, or the refund given up) comes from the refund worker, once the provider has said whether a
     * charge whose answer was lost exists: the order is not settled before that.
     */
    public void cancel(UUID orderId, String reason, Envelope cause) {
        payments.lock(orderId);
        Optional<Payment> decided = payments.find(orderId);
        if (decided.isEmpty()) {
            Payment voided = Payment.voided(orderId, reason, clock.instant());
            payments.insert(voided);
            // Nothing recorded, but a charge may have been made whose answer was lost (a crash between the
            // provider's answer and the commit): the refund worker asks the provider and refunds one it finds.
            refunds.requestLostChargeCheck(orderId, reason, cause, clock.instant());
            return;
        }
        Payment payment = decided.get();
        if (payment.status() == Payment.Status.AUTHORIZED) {
            refunds.request(
                    orderId,
                    new ChargeFound(payment.chargeId(), payment.amount(), payment.currency()),
                    reason,
                    cause,
                    clock.instant());
        }
    }
}
