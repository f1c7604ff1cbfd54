package io.orderflow.eventing.serde;

/**
 * A service's schema is missing from the registry or does not fit what is registered. Raised at start-up, so a
 * service that could not write or read its events refuses to start instead of failing on the first event.
 */
public class IncompatibleSchemaException extends RuntimeException {
    public IncompatibleSchemaException(String message) {
        super(message);
    }

    public IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
