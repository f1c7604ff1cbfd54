package io.orderflow.eventing.serde;

/**
 * A record that no retry can fix: it cannot be decoded, lacks its envelope or has an event type this consumer
 * does not know. The consumer runtime sends such a record straight to the dead-letter topic.
 */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
