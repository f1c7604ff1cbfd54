package io.orderflow.payment.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An instance that only serves requests ({@code orderflow.eventing.consumer.enabled=false}) has no consumers to
 * pause: it still starts, and the breaker's transitions have nothing to do.
 */
class ProviderOutagePauseTest {

    private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("payment-provider");

    @Test
    void anInstanceWithoutConsumersStartsAndFollowsTheBreakerWithoutThem() {
        new ApplicationContextRunner()
                .withBean(CircuitBreaker.class, () -> breaker)
                .withUserConfiguration(ProviderOutagePause.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ProviderOutagePause.class);
                    breaker.transitionToOpenState();
                    breaker.transitionToHalfOpenState();
                    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
                });
    }
}
