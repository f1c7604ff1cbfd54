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
     * Cancels a charge's idempotency key at the provider, as a client cancels a payment intent, and answers the
     * authorized charge made under it, if one was. A charge can be made and its answer lost (the service crashed
     * before it recorded it, or its call timed out and landed later), so "nothing recorded" is not "nothing
     * charged"; and a mere look would not do either, since a call with the key may still be on its way. Empty
     * means: nothing was charged under the key, and nothing ever will be (the provider refuses it from now on).
     *
     * @throws PaymentGatewayUnavailableException as for {@link #charge}; asking again is safe
     */
    java.util.Optional<ChargeFound> cancelCharge(String idempotencyKey);

    /**
     * Refunds a charge in full.
     *
     * @throws PaymentGatewayUnavailableException as for {@link #charge}; asking again with the same key is safe
     */
    RefundOutcome refund(String idempotencyKey, String chargeId);
}
