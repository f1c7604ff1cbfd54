package io.orderflow.payment.gateway;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.orderflow.payment.application.ChargeFound;
import io.orderflow.payment.application.ChargeOutcome;
import io.orderflow.payment.application.ChargeRequest;
import io.orderflow.payment.application.PaymentGateway;
import io.orderflow.payment.application.PaymentGatewayUnavailableException;
import io.orderflow.payment.application.RefundOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
    private final ExecutorService callers;

    ResilientPaymentGateway(
            HttpPaymentGateway http,
            TimeLimiter timeLimiter,
            CircuitBreaker breaker,
            Retry retry,
            ExecutorService callers) {
        this.http = http;
        this.callers = callers;
        this.timeLimiter = timeLimiter;
        this.breaker = breaker;
        this.retry = retry;
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        return call(() -> http.charge(request), request.reference());
    }

    /** All at once, on the gateway's own threads: the provider's latency is paid once per batch, not per order. */
    @Override
    public List<ChargeOutcome> chargeAll(List<ChargeRequest> requests) {
        if (requests.size() < 2) {
            return requests.stream().map(this::charge).toList();
        }
        List<CompletableFuture<ChargeOutcome>> calls = requests.stream()
                .map(request -> CompletableFuture.supplyAsync(() -> charge(request), callers))
                .toList();
        List<ChargeOutcome> outcomes = new ArrayList<>(calls.size());
        RuntimeException failure = null;
        for (CompletableFuture<ChargeOutcome> call : calls) {
            try {
                outcomes.add(call.join());
            } catch (CompletionException e) {
                // every call is awaited, so that none is still running when the batch is asked again
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new PaymentGatewayUnavailableException(
                                    "payment provider call failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return outcomes;
    }

    @Override
    public java.util.Optional<ChargeFound> cancelCharge(String idempotencyKey) {
        return call(() -> http.cancelCharge(idempotencyKey), "the cancel of the charge key " + idempotencyKey);
    }

    @Override
    public RefundOutcome refund(String idempotencyKey, String chargeId) {
        return call(() -> http.refund(idempotencyKey, chargeId), "the refund of " + chargeId);
    }

    private <T> T call(Supplier<CompletableFuture<T>> request, String what) {
        AtomicBoolean called = new AtomicBoolean();
        Callable<T> timed = TimeLimiter.decorateFutureSupplier(timeLimiter, () -> {
            called.set(true);
            return request.get();
        });
        Callable<T> guarded = CircuitBreaker.decorateCallable(breaker, timed);
        Callable<T> retried = Retry.decorateCallable(retry, guarded);
        try {
            return retried.call();
        } catch (CallNotPermittedException e) {
            if (called.get()) {
                // A call failed, then opened the circuit under the next retry: that was a failed attempt.
                throw new PaymentGatewayUnavailableException(
                        "payment provider failed for " + what + " and its circuit opened", e);
            }
            throw PaymentGatewayUnavailableException.circuitOpen(
                    "payment provider circuit is " + breaker.getState(), e);
        } catch (TransientGatewayException | TimeoutException e) {
            throw new PaymentGatewayUnavailableException(
                    "payment provider failed " + retry.getRetryConfig().getMaxAttempts() + " attempts for " + what
                            + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PaymentGatewayUnavailableException("payment provider call failed: " + e, e);
        }
    }
}
