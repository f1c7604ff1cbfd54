package io.orderflow.payment.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.payment.application.PaymentGateway;
import io.orderflow.payment.application.RefundService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

    static final String BREAKER = "payment-provider";

    /**
     * Made through a registry so that Resilience4j's own binder publishes it: {@code resilience4j.circuitbreaker.state}
     * (1 for the current state), {@code .calls}, {@code .not.permitted.calls}, {@code .failure.rate}.
     */
    @Bean
    CircuitBreaker paymentProviderBreaker(GatewayProperties properties, MeterRegistry meters) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        return breakers.circuitBreaker(
                BREAKER,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(properties.window())
                        .minimumNumberOfCalls(properties.window())
                        .failureRateThreshold(properties.failureRate())
                        .waitDurationInOpenState(properties.openFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .recordExceptions(TransientGatewayException.class, TimeoutException.class, IOException.class)
                        .build());
    }

    /** Threads that wait for the provider's answers of one batch; daemons, so they never hold a shutdown up. */
    private static ExecutorService providerCallers(int concurrency) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "payment-provider-call-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    RefundService.BreakerSettings breakerSettings(GatewayProperties properties) {
        return new RefundService.BreakerSettings(properties.openFor());
    }

    @Bean
    PaymentGateway paymentGateway(GatewayProperties properties, CircuitBreaker paymentProviderBreaker) {
        TimeLimiter timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(properties.timeout())
                .cancelRunningFuture(true)
                .build());
        Retry retry = Retry.of(
                BREAKER,
                RetryConfig.custom()
                        .maxAttempts(properties.attempts())
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.backoff(), 2.0))
                        .retryExceptions(TransientGatewayException.class, TimeoutException.class, IOException.class)
                        .ignoreExceptions(io.github.resilience4j.circuitbreaker.CallNotPermittedException.class)
                        .build());
        return new ResilientPaymentGateway(
                new HttpPaymentGateway(properties.url(), Duration.ofSeconds(1)),
                timeLimiter,
                paymentProviderBreaker,
                retry,
                providerCallers(properties.concurrency()));
    }
}
