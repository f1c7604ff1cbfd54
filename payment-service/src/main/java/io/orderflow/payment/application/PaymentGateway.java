package io.orderflow.payment.application;

/** The external payment provider, as this service needs it. */
public interface PaymentGateway {

    /**
     * Authorizes a charge.
     *
     * @throws PaymentGatewayUnavailableException when the provider gives no answer now (down, failing, too slow,
     *                                            answering garbage, or the circuit breaker is open); asking again
     *                                            later with the same key is safe
     */
    ChargeOutcome charge(ChargeRequest request);

    /**
     * Refunds a charge in full.
     *
     * @throws PaymentGatewayUnavailableException as for {@link #charge}; asking again with the same key is safe
     */
    RefundOutcome refund(String idempotencyKey, String chargeId);
}
