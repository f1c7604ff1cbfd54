package io.orderflow.eventing.consumer;

/**
 * Thrown by a handler when something it depends on outside this service is down (a circuit breaker is open, a
 * provider keeps failing): like a database outage, it says nothing about the record, so the record is retried with
 * backoff until the dependency is back and never dead-lettered.
 */
public class DependencyUnavailableException extends RuntimeException {
    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
