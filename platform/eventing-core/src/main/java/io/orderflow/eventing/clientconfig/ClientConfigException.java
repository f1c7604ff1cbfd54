package io.orderflow.eventing.clientconfig;

/**
 * A client configuration that cannot be used as given: a file that is missing, a setting that is not supported, a
 * truststore that cannot be read. A user's mistake, so its message says what is wrong and where, and never holds a
 * secret; it is shown as it is, without a stack trace.
 */
public class ClientConfigException extends IllegalArgumentException {

    public ClientConfigException(String message) {
        super(message);
    }

    public ClientConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
