package io.orderflow.view.query;

import java.math.BigDecimal;
import java.time.Instant;

/** Revenue of one currency in the minute starting at {@code minute}. */
public record RevenueMinute(Instant minute, String currency, BigDecimal amount) {}
