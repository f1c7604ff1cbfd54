package io.orderflow.payment.application;

import java.math.BigDecimal;

/** An authorized charge the provider holds for an order, whether or not this service recorded it. */
public record ChargeFound(String chargeId, BigDecimal amount, String currency) {}
