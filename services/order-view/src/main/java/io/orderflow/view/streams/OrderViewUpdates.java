package io.orderflow.view.streams;

import io.orderflow.view.domain.OrderView;
import io.orderflow.view.topology.OrderViewListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Lets a query wait, without holding a thread, until an order's view reaches a version: the topology reports each
 * view it stores, and the waiters of that order whose version has been reached are answered.
 */
public final class OrderViewUpdates implements OrderViewListener {

    private record Waiter(long minVersion, CompletableFuture<Optional<OrderView>> answer) {}

    private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();

    @Override
    public void changed(OrderView view) {
        List<Waiter> waiters = waiting.get(view.orderId());
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (view.version() >= waiter.minVersion()) {
                waiter.answer().complete(Optional.of(view));
            }
        }
    }

    /**
     * The order's view once it has reached {@code minVersion}, or after {@code limit} whatever the view is then
     * (empty if there is none).
     */
    public CompletableFuture<Optional<OrderView>> await(
            String orderId, long minVersion, Duration limit, Function<String, Optional<OrderView>> read) {
        Optional<OrderView> now = read.apply(orderId);
        if (reached(now, minVersion)) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter waiter = new Waiter(minVersion, new CompletableFuture<>());
        waiting.compute(orderId, (id, waiters) -> {
            List<Waiter> all = waiters == null ? new CopyOnWriteArrayList<>() : waiters;
            all.add(waiter);
            return all;
        });
        CompletableFuture<Optional<OrderView>> answer = waiter.answer()
                .completeOnTimeout(null, limit.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(view -> view != null ? view : read.apply(orderId))
                .whenComplete((view, error) -> forget(orderId, waiter));
        // The view may have changed between the first read and the registration.
        try {
            Optional<OrderView> again = read.apply(orderId);
            if (reached(again, minVersion)) {
                waiter.answer().complete(again);
            }
        } catch (RuntimeException e) {
            waiter.answer().completeExceptionally(e);
        }
        return answer;
    }

    private void forget(String orderId, Waiter waiter) {
        waiting.computeIfPresent(orderId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** How many queries wait for a version now. */
    public int waiting() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private static boolean reached(Optional<OrderView> view, long minVersion) {
        return view.isPresent() && view.get().version() >= minVersion;
    }
}
