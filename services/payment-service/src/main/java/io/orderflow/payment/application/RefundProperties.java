package io.orderflow.payment.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How patiently refunds are retried, under {@code payment.refunds}. The defaults give up after about four minutes of
 * failing calls; time while the circuit is open does not count, since then no call is made.
 *
 * @param maxAttempts  failed calls (each already retried by the gateway) before the refund is given up and the
 *                     order parked for an operator
 * @param backoff      pause after the first failed call; doubled after each further one
 * @param maxBackoff   longest pause between two calls
 * @param pollInterval how often due refunds are looked for
 */
@ConfigurationProperties("payment.refunds")
public record RefundProperties(
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1s") Duration backoff,
        @DefaultValue("1m") Duration maxBackoff,
        @DefaultValue("200ms") Duration pollInterval) {

    public RefundProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("payment.refunds.max-attempts must be at least 1");
        }
    }

    /** The pause after the given number of failed calls. */
    public Duration pauseAfter(int failedAttempts) {
        Duration pause = backoff;
        for (int i = 1; i < failedAttempts && pause.compareTo(maxBackoff) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
    }
}
