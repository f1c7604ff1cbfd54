package io.orderflow.payment.application;

import io.orderflow.payment.domain.Payment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes the refunds that cancellations asked for. A refund that keeps failing is retried with growing pauses, then
 * given up and reported, so that the order is parked where operators see it: never dropped silently.
 */
@Service
public class RefundService {

    private static final Logger log = LoggerFactory.getLogger(RefundService.class);

    private final Refunds refunds;
    private final PaymentGateway gateway;
    private final PaymentEvents events;
    private final RefundProperties properties;
    private final Duration breakerOpenFor;
    private final Clock clock;

    public RefundService(Refunds refunds, PaymentGateway gateway, PaymentEvents events, RefundProperties properties,
                         BreakerSettings breaker, Clock clock) {
        this.refunds = refunds;
        this.gateway = gateway;
        this.events = events;
        this.properties = properties;
        this.breakerOpenFor = breaker.openFor();
        this.clock = clock;
    }

    /**
     * Calls the provider for each due refund.
     *
     * @return how many were due
     */
    @Transactional
    public int refundDue(int limit) {
        List<PendingRefund> due = refunds.claimDue(clock.instant(), limit);
        for (PendingRefund refund : due) {
            attempt(refund);
        }
        return due.size();
    }

    private void attempt(PendingRefund due) {
        int attempts = due.attempts() + 1;
        PendingRefund refund = due;
        RefundOutcome outcome;
        try {
            if (due.isLostChargeCheck()) {
                Optional<ChargeFound> lost = gateway.cancelCharge(Payment.authorizationKey(due.orderId()));
                if (lost.isEmpty()) {
                    // Only now is the payment settled: answered at the cancellation, the order would be final
                    // before a lost charge was found, and the failure of its refund would reach no one.
                    Instant now = clock.instant();
                    refunds.nothingCharged(due.orderId(), now);
                    events.voided(due, now);
                    return;
                }
                log.warn("Order {} was charged ({}) though nothing was recorded: refunding it", due.orderId(),
                        lost.get().chargeId());
                refunds.chargeFound(due.orderId(), lost.get());
                refund = due.of(lost.get());
            }
            outcome = gateway.refund(Payment.refundKey(refund.orderId()), refund.chargeId());
        } catch (PaymentGatewayUnavailableException e) {
            if (e.circuitOpen()) {
                // No call was made: the provider is known to be down. Wait for the breaker, spend no attempt.
                refunds.retryLater(refund.orderId(), e.getMessage(), refund.attempts(),
                        clock.instant().plus(breakerOpenFor));
                return;
            }
            failedAttempt(refund, e.getMessage(), attempts);
            return;
        } catch (RuntimeException e) {
            // Not a known kind of failure: still a failed attempt, so that it cannot retry forever unseen.
            log.error("Refund of order {} failed unexpectedly (attempt {})", refund.orderId(), attempts, e);
            failedAttempt(refund, e.toString(), attempts);
            return;
        }
        if (outcome instanceof RefundOutcome.Refunded refunded) {
            Instant now = clock.instant();
            refunds.refunded(refund.orderId(), refunded.refundId(), attempts, now);
            events.refunded(refund, refunded.refundId(), now);
        } else {
            giveUp(refund, ((RefundOutcome.Refused) outcome).reason(), attempts);
        }
    }

    /** A call failed: try again after a growing pause, or give up once the attempts are spent. */
    private void failedAttempt(PendingRefund refund, String reason, int attempts) {
        if (attempts >= properties.maxAttempts()) {
            giveUp(refund, reason, attempts);
            return;
        }
        Duration pause = properties.pauseAfter(attempts);
        log.warn("Refund of order {} failed (attempt {} of {}), next in {}: {}", refund.orderId(), attempts,
                properties.maxAttempts(), pause, reason);
        refunds.retryLater(refund.orderId(), reason, attempts, clock.instant().plus(pause));
    }

    private void giveUp(PendingRefund refund, String reason, int attempts) {
        Instant now = clock.instant();
        log.error("Refund of order {} (charge {}) given up after {} attempt(s): {}", refund.orderId(),
                refund.chargeId(), attempts, reason);
        refunds.failed(refund.orderId(), reason, attempts, now);
        events.refundFailed(refund, reason, attempts, now);
    }

    /** How long the provider's circuit stays open: how long a refund waits when it finds the circuit open. */
    public record BreakerSettings(Duration openFor) {
    }
}
