package io.orderflow.eventing.dlq;

/** A dead-letter id that names no record: purged, not written yet, or a transaction marker. */
public class NoSuchDeadLetterException extends InvalidDeadLetterRequestException {

    public NoSuchDeadLetterException(String message) {
        super(message);
    }
}
