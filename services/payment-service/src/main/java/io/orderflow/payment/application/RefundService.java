package io.orderflow.payment.application;

import io.orderflow.eventing.support.ErrorText;
import io.orderflow.payment.domain.Payment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    public RefundService(
            Refunds refunds,
            PaymentGateway gateway,
            PaymentEvents events,
            RefundProperties properties,
            BreakerSettings breaker,
            Clock clock) {
        this.refunds = refunds;
        this.gateway = gateway;
        this.events = events;
        this.properties = properties;
        this.breakerOpenFor = breaker.openFor();
        this.clock = clock;
    }

    /** The refunds and lost-charge checks due now, the longest due first; each is then made by {@link #refund}. */
    @Transactional(readOnly = true)
    public List<UUID> due(int limit) {
        return refunds.due(clock.instant(), limit);
    }

    /**
     * Makes the order's refund (or lost-charge check) if it is still due, in a transaction of its own: one whose
     * bookkeeping fails rolls back alone and holds up no other (the caller then records it with {@link #failed}).
     *
     * @return false when it is no longer due or another worker holds it
     */
    @Transactional
    public boolean refund(UUID orderId) {
        Optional<PendingRefund> due = refunds.claim(orderId, clock.instant());
        due.ifPresent(this::attempt);
        return due.isPresent();
    }

    /**
     * The order's refund failed in a way {@link #refund} could not record (what the provider answered could not be
     * stored or published, say): a failed attempt all the same, recorded in a transaction of its own, so that it is
     * retried after a pause and given up once its attempts are spent, never tried again at once for ever. The
     * provider deduplicates by the order's keys: a refund it made already is not made twice.
     *
     * @return false when it is no longer due or another worker holds it
     */
    @Transactional
    public boolean failed(UUID orderId, String error) {
        Optional<PendingRefund> due = refunds.claim(orderId, clock.instant());
        due.ifPresent(refund -> failedAttempt(refund, "failed unexpectedly: " + error, refund.attempts() + 1));
        return due.isPresent();
    }

    /** Refunds and checks still to be made whose last attempt failed. */
    @Transactional(readOnly = true)
    public long failing() {
        return refunds.failing();
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
                log.warn(
                        "Order {} was charged ({}) though nothing was recorded: refunding it",
                        due.orderId(),
                        lost.get().chargeId());
                refunds.chargeFound(due.orderId(), lost.get());
                refund = due.of(lost.get());
            }
            outcome = gateway.refund(Payment.refundKey(refund.orderId()), refund.chargeId());
        } catch (PaymentGatewayUnavailableException e) {
            if (e.circuitOpen()) {
                // No call was made: the provider is known to be down. Wait for the breaker, spend no attempt.
                refunds.retryLater(
                        refund.orderId(),
                        ErrorText.of(e.getMessage()),
                        refund.attempts(),
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
    private void failedAttempt(PendingRefund refund, String error, int attempts) {
        String reason = ErrorText.of(error);
        if (attempts >= properties.maxAttempts()) {
            giveUp(refund, reason, attempts);
            return;
        }
        Duration pause = properties.pauseAfter(attempts);
        log.warn(
                "Refund of order {} failed (attempt {} of {}), next in {}: {}",
                refund.orderId(),
                attempts,
                properties.maxAttempts(),
                pause,
                reason);
        refunds.retryLater(refund.orderId(), reason, attempts, clock.instant().plus(pause));
    }

    private void giveUp(PendingRefund refund, String error, int attempts) {
        String reason = ErrorText.of(error);
        Instant now = clock.instant();
        log.error(
                "Refund of order {} (charge {}) given up after {} attempt(s): {}",
                refund.orderId(),
                refund.chargeId(),
                attempts,
                reason);
        refunds.failed(refund.orderId(), reason, attempts, now);
        events.refundFailed(refund, reason, attempts, now);
    }

    /** How long the provider's circuit stays open: how long a refund waits when it finds the circuit open. */
    public record BreakerSettings(Duration openFor) {}
}
