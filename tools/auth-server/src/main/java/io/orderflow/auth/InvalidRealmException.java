package io.orderflow.auth;

/** A realm file that cannot be read or does not describe a usable realm; the message is one line saying why. */
public final class InvalidRealmException extends RuntimeException {

    InvalidRealmException(String message) {
        super(message);
    }

    InvalidRealmException(String message, Throwable cause) {
        super(message, cause);
    }
}
