package io.orderflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderStatus;
import io.orderflow.order.domain.Pricing;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order use cases. Each loads the order from its events, lets it decide, and appends what it raised together with
 * the events it publishes, in one transaction. When another writer appended first, the decision is made again on the
 * newer order; the store reports the conflict without an SQL error, so a consumer's batch transaction goes on.
 */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);
    private static final Duration MAX_DEADLINE_BACKOFF = Duration.ofMinutes(5);

    private final OrderStore store;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderEvents events;
    private final Catalogue catalogue;
    private final PaymentDeadlines deadlines;
    private final OrderSagaProperties saga;
    private final Clock clock;
    private final Counter concurrentUpdates;

    public OrderService(
            OrderStore store,
            IdempotencyKeys idempotencyKeys,
            OrderEvents events,
            Catalogue catalogue,
            PaymentDeadlines deadlines,
            OrderSagaProperties saga,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.catalogue = catalogue;
        this.deadlines = deadlines;
        this.saga = saga;
        this.clock = clock;
        this.concurrentUpdates = Counter.builder("orderflow.orders.concurrent.updates")
                .description("Decisions made again because another writer appended to the order first")
                .register(meters);
    }

    /**
     * Places an order priced from the catalogue. A request whose idempotency key was used before gets what it got
     * then, even if prices have changed since.
     */
    @Transactional
    public Placement place(PlaceOrder command, Optional<String> idempotencyKey) {
        if (idempotencyKey.isPresent()) {
            Optional<Placement> earlier = idempotencyKeys
                    .find(command.customerId(), idempotencyKey.get())
                    .map(claimed -> earlierPlacement(command, idempotencyKey.get(), claimed));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Map<String, Optional<BigDecimal>> prices = catalogue.pricesIn(
                command.currency(),
                command.items().stream()
                        .map(Pricing.RequestedItem::productId)
                        .distinct()
                        .toList());
        Pricing.Outcome pricing = Pricing.price(command.currency(), command.items(), prices);
        if (pricing instanceof Pricing.Refusal refusal) {
            return new Placement.Unpriced(refusal);
        }
        UUID orderId = UUID.randomUUID();
        if (idempotencyKey.isPresent()) {
            // Claimed only now, by a request that will place its order: a refusal above leaves the key unused.
            var earlier =
                    idempotencyKeys.claim(command.customerId(), idempotencyKey.get(), command.fingerprint(), orderId);
            if (earlier.isPresent()) {
                return earlierPlacement(command, idempotencyKey.get(), earlier.get());
            }
        }
        Order order = Order.place(
                orderId,
                command.customerId(),
                command.currency(),
                ((Pricing.Priced) pricing).lines(),
                saga.paymentTimeout(),
                now());
        store.append(order);
        deadlines.schedule(orderId, order.paymentDue());
        events.publish(order, Optional.empty());
        return new Placement.Created(order);
    }

    private Placement earlierPlacement(PlaceOrder command, String idempotencyKey, IdempotencyKeys.Claimed claimed) {
        if (!claimed.fingerprint().equals(command.fingerprint())) {
            return new Placement.KeyReused(idempotencyKey);
        }
        return new Placement.Replayed(store.load(claimed.orderId())
                .orElseThrow(() -> new IllegalStateException("idempotency key points to a missing order")));
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(UUID id) {
        return store.load(id);
    }

    @Transactional(readOnly = true)
    public List<RecordedEvent> history(UUID id) {
        List<RecordedEvent> history = store.history(id);
        if (history.isEmpty()) {
            throw new OrderNotFoundException(id);
        }
        return history;
    }

    @Transactional(readOnly = true)
    public List<OrderSummary> list(Optional<OrderStatus> status, int limit) {
        return store.list(status, limit);
    }

    /** The customer asks to cancel the order. */
    @Transactional
    public CancelOutcome cancel(UUID orderId) {
        return decide(orderId, order -> new CancelOutcome(order, order.cancel(now())), Optional.empty());
    }

    /**
     * Another service reported a fact about the order; runs in the consumer's transaction. The order records it at the
     * time it learns it, so that its history is in the order it happened to the order.
     */
    public void record(UUID orderId, BiConsumer<Order, Instant> fact, Envelope cause) {
        Instant now = now();
        decide(
                orderId,
                order -> {
                    fact.accept(order, now);
                    return null;
                },
                Optional.of(cause));
    }

    /** Inventory listed a product, or listed it again with new prices. Runs in the consumer's transaction. */
    public void productListed(String productId, String name, Instant listedAt, Map<String, BigDecimal> prices) {
        catalogue.listed(productId, name, listedAt, prices);
    }

    /** Orders whose payment deadline is due, oldest first. */
    @Transactional(readOnly = true)
    public List<UUID> dueDeadlines(int limit) {
        return deadlines.due(now(), limit);
    }

    /**
     * Cancels the order if its payment deadline passed while it was still waiting for it, and forgets the deadline
     * either way. One order per transaction: an order that cannot be expired holds up no other.
     *
     * @return false when the deadline is no longer due or another watcher holds it
     */
    @Transactional
    public boolean expireDeadline(UUID orderId) {
        Instant now = now();
        if (!deadlines.claim(orderId, now)) {
            return false;
        }
        try {
            Order order = decide(
                    orderId,
                    current -> {
                        current.paymentDeadlineExpired(now);
                        return current;
                    },
                    Optional.empty());
            if (order.status() == OrderStatus.CANCELLING) {
                log.info("Order {}: no payment by {}, cancelling", orderId, order.paymentDue());
            }
        } catch (OrderNotFoundException e) {
            // A deadline without its order would otherwise fail every round for good.
            log.error("Payment deadline of unknown order {} dropped", orderId);
        }
        deadlines.remove(orderId);
        return true;
    }

    /**
     * Expiring the order's deadline failed: it is tried again later, backing off from 1 s to 5 minutes, and the error
     * stays on the deadline for operators ({@code orderflow.order.deadlines.failing}).
     */
    @Transactional
    public void deadlineFailed(UUID orderId, String error) {
        int attempts = deadlines.failedAttempts(orderId) + 1;
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempts - 1, 9));
        deadlines.failed(
                orderId,
                error,
                now().plus(backoff.compareTo(MAX_DEADLINE_BACKOFF) > 0 ? MAX_DEADLINE_BACKOFF : backoff));
    }

    /** Deadlines whose last expiry failed. */
    @Transactional(readOnly = true)
    public long failingDeadlines() {
        return deadlines.failing();
    }

    private <T> T decide(UUID orderId, Function<Order, T> decision, Optional<Envelope> cause) {
        for (int attempt = 1; ; attempt++) {
            try {
                return decideOnce(orderId, decision, cause);
            } catch (ConcurrentOrderUpdateException e) {
                concurrentUpdates.increment();
                if (attempt >= saga.maxConcurrentRetries()) {
                    throw e;
                }
                log.debug("Order {} changed under us (attempt {}); deciding again", orderId, attempt);
            }
        }
    }

    private <T> T decideOnce(UUID orderId, Function<Order, T> decision, Optional<Envelope> cause) {
        Order order = store.load(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        boolean awaitedPayment = order.status().awaitsPayment();
        T result = decision.apply(order);
        if (order.raised().isEmpty()) {
            return result;
        }
        store.append(order);
        if (awaitedPayment && !order.status().awaitsPayment()) {
            deadlines.clearUnlessClaimed(orderId);
        }
        // Last: a conflict must find nothing published by the attempt it undoes.
        events.publish(order, cause);
        return result;
    }

    /** PostgreSQL keeps microseconds; an order must read back as it was written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
