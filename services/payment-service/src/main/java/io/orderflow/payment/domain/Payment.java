package io.orderflow.payment.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The provider's decision on one order's payment. There is at most one per order: the order's idempotency key with
 * the provider and the primary key here both say so.
 */
public record Payment(
        UUID orderId,
        String customerId,
        BigDecimal amount,
        String currency,
        Status status,
        String chargeId,
        String declineReason,
        String voidReason,
        Instant decidedAt) {

    /** AUTHORIZED and DECLINED are the provider's answers; VOIDED means the order was cancelled before any charge. */
    public enum Status {
        AUTHORIZED,
        DECLINED,
        VOIDED
    }

    public Payment {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        if (status == Status.VOIDED) {
            Objects.requireNonNull(voidReason, "voidReason");
        } else if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("a payment amount is positive: " + amount);
        }
        if (status == Status.AUTHORIZED && chargeId == null) {
            throw new IllegalArgumentException("an authorized payment has the provider's charge id");
        }
        if (status == Status.DECLINED && declineReason == null) {
            throw new IllegalArgumentException("a declined payment has the provider's reason");
        }
    }

    public static Payment authorized(
            UUID orderId, String customerId, BigDecimal amount, String currency, String chargeId, Instant at) {
        return new Payment(orderId, customerId, amount, currency, Status.AUTHORIZED, chargeId, null, null, at);
    }

    public static Payment declined(
            UUID orderId, String customerId, BigDecimal amount, String currency, String reason, Instant at) {
        return new Payment(orderId, customerId, amount, currency, Status.DECLINED, null, reason, null, at);
    }

    /** The order was cancelled before it was charged: it never will be. */
    public static Payment voided(UUID orderId, String reason, Instant at) {
        return new Payment(orderId, null, null, null, Status.VOIDED, null, null, reason, at);
    }

    /** The key under which the provider deduplicates this order's refund, whoever retries it. */
    public static String refundKey(UUID orderId) {
        return "order-" + orderId + "-refund";
    }

    /** The key under which the provider deduplicates this order's authorization, whoever retries it. */
    public static String authorizationKey(UUID orderId) {
        return "order-" + orderId + "-authorize";
    }
}
