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
     * Authorizes several charges at once (concurrently where the gateway can), answers in the order asked.
     *
     * @throws PaymentGatewayUnavailableException when any of them got no answer; asking again for all of them is
     *                                            safe, since each key is answered once
     */
    default java.util.List<ChargeOutcome> chargeAll(java.util.List<ChargeRequest> requests) {
        return requests.stream().map(this::charge).toList();
    }

    /**
     * The authorized charge the provider holds for a reference (an order id), if any: a charge can be made and its
     * answer lost (the service crashed before it recorded it), so "nothing recorded" is not "nothing charged".
     *
     * @throws PaymentGatewayUnavailableException as for {@link #charge}
     */
    java.util.Optional<ChargeFound> findAuthorizedCharge(String reference);

    /**
     * Refunds a charge in full.
     *
     * @throws PaymentGatewayUnavailableException as for {@link #charge}; asking again with the same key is safe
     */
    RefundOutcome refund(String idempotencyKey, String chargeId);
}
