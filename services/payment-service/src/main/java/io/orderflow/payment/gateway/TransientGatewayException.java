package io.orderflow.payment.gateway;

/** One call to the provider failed in a way worth retrying: refused, 5xx, a body that is not its answer. */
class TransientGatewayException extends RuntimeException {
    TransientGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
