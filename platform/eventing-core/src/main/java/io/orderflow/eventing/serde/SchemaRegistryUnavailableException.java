package io.orderflow.eventing.serde;

/**
 * The registry could not be reached, failed on its side, refused us for now (credentials, permissions, throttling)
 * or gave an answer that is not one. It says nothing about the record being processed: the consumer runtime retries
 * it until the registry is back rather than dead-lettering it.
 */
public class SchemaRegistryUnavailableException extends RuntimeException {
    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
