package io.orderflow.payment.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider and how patiently it is called, under {@code payment.gateway}.
 *
 * @param timeout           longest wait for one answer
 * @param attempts          calls per authorization before the record waits (retried later by the consumer)
 * @param backoff           pause before the second call; doubled for each further one
 * @param failureRate       percentage of failed calls, among the last {@code window}, that opens the breaker
 * @param window            calls the failure rate is computed over (and the least needed to compute it)
 * @param openFor           how long the breaker stays open before one probe call is let through
 * @param concurrency       calls of one batch made at the same time
 */
@ConfigurationProperties("payment.gateway")
public record GatewayProperties(
        @DefaultValue("http://127.0.0.1:8087") String url,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("3") int attempts,
        @DefaultValue("200ms") Duration backoff,
        @DefaultValue("50") float failureRate,
        @DefaultValue("10") int window,
        @DefaultValue("5s") Duration openFor,
        @DefaultValue("16") int concurrency) {

    public GatewayProperties {
        if (concurrency < 1) {
            throw new IllegalArgumentException("payment.gateway.concurrency must be at least 1");
        }
    }
}
