package io.orderflow.payment.application;

/** The provider could not answer now; nothing is known about the charge, so the same request must be asked again. */
public class PaymentGatewayUnavailableException extends RuntimeException {
    public PaymentGatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
