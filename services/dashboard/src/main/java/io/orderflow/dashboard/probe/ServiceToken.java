package io.orderflow.dashboard.probe;

/**
 * The access token the dashboard reads the services with: its own identity (client credentials, role operator), not
 * an operator's. Asked for before every reading, so an implementation keeps the token and renews it before it expires.
 */
public interface ServiceToken {

    /**
     * The token to send now.
     *
     * @throws UnavailableException when there is none to be had (the issuer is down, refuses the client, does not
     *                              answer in time), saying why in one line
     */
    String current();

    /** A service answered 401 to the token: the next {@link #current()} gets a new one rather than sending it again. */
    default void refused() {}

    /** No token can be had now; the message says why, in one line. */
    final class UnavailableException extends RuntimeException {

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
