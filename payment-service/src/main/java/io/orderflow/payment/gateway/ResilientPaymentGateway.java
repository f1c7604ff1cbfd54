package io.orderflow.payment.gateway;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.orderflow.payment.application.ChargeOutcome;
import io.orderflow.payment.application.ChargeRequest;
import io.orderflow.payment.application.PaymentGateway;
import io.orderflow.payment.application.PaymentGatewayUnavailableException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The provider behind Resilience4j: each call is timed out, failed calls are retried with backoff, and each attempt
 * counts for a circuit breaker that, once open, refuses calls at once. Retry outermost, so that an open breaker
 * stops the retries too. A declined payment is an answer, not a failure.
 */
final class ResilientPaymentGateway implements PaymentGateway {

    private final HttpPaymentGateway http;
    private final TimeLimiter timeLimiter;
    private final CircuitBreaker breaker;
    private final Retry retry;

    ResilientPaymentGateway(HttpPaymentGateway http, TimeLimiter timeLimiter, CircuitBreaker breaker, Retry retry) {
        this.http = http;
        this.timeLimiter = timeLimiter;
        this.breaker = breaker;
        this.retry = retry;
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        Callable<ChargeOutcome> timed = TimeLimiter.decorateFutureSupplier(timeLimiter, () -> http.charge(request));
        Callable<ChargeOutcome> guarded = CircuitBreaker.decorateCallable(breaker, timed);
        Callable<ChargeOutcome> retried = Retry.decorateCallable(retry, guarded);
        try {
            return retried.call();
        } catch (CallNotPermittedException e) {
            throw new PaymentGatewayUnavailableException("payment provider circuit is " + breaker.getState(), e);
        } catch (TransientGatewayException | TimeoutException e) {
            throw new PaymentGatewayUnavailableException("payment provider failed " + retry.getRetryConfig()
                    .getMaxAttempts() + " attempts for " + request.reference() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PaymentGatewayUnavailableException("payment provider call failed: " + e, e);
        }
    }
}
