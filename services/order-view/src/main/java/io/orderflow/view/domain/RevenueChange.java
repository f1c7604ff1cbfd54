package io.orderflow.view.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** Money taken (positive) or given back (negative) at a moment. */
public record RevenueChange(String currency, BigDecimal amount, Instant at) {}
