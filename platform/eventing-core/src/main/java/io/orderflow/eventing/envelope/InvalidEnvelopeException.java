package io.orderflow.eventing.envelope;

import io.orderflow.eventing.serde.PoisonRecordException;

/** A record's headers do not form a valid envelope: it can never be processed. */
public class InvalidEnvelopeException extends PoisonRecordException {
    public InvalidEnvelopeException(String message) {
        super(message);
    }
}
