package io.orderflow.payment.application;

/** The provider's answer: money authorized, or declined with its reason. Both are answers, not failures. */
public sealed interface ChargeOutcome {

    record Authorized(String chargeId) implements ChargeOutcome {}

    record Declined(String reason) implements ChargeOutcome {}
}
