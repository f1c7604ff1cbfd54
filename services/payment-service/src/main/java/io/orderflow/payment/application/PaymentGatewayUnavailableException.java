package io.orderflow.payment.application;

/** The provider could not answer now; nothing is known about the charge, so the same request must be asked again. */
public class PaymentGatewayUnavailableException extends RuntimeException {

    private final boolean circuitOpen;

    public PaymentGatewayUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private PaymentGatewayUnavailableException(String message, Throwable cause, boolean circuitOpen) {
        super(message, cause);
        this.circuitOpen = circuitOpen;
    }

    /** No call was made: the circuit breaker is open. */
    public static PaymentGatewayUnavailableException circuitOpen(String message, Throwable cause) {
        return new PaymentGatewayUnavailableException(message, cause, true);
    }

    public boolean circuitOpen() {
        return circuitOpen;
    }
}
