package io.orderflow.eventing.dlq;

/** A request about dead letters that cannot be carried out as asked; nothing was changed. */
public class InvalidDeadLetterRequestException extends RuntimeException {

    public InvalidDeadLetterRequestException(String message) {
        super(message);
    }
}
