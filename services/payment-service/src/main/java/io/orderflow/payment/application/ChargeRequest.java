package io.orderflow.payment.application;

import java.math.BigDecimal;

/** One authorization asked of the provider; the same idempotency key always gets the same answer. */
public record ChargeRequest(String idempotencyKey, String reference, BigDecimal amount, String currency) {}
