package io.orderflow.order.application;

import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderLine;
import io.orderflow.order.domain.OrderPlaced;
import io.orderflow.order.domain.Transition;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The order use cases. Each runs in one database transaction with the events it raises. */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderEvents events;
    private final Catalogue catalogue;
    private final Clock clock;

    public OrderService(OrderRepository orders, IdempotencyKeys idempotencyKeys, OrderEvents events,
                        Catalogue catalogue, Clock clock) {
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @Transactional
    public Placement place(PlaceOrder command, Optional<String> idempotencyKey) {
        List<String> unknown = catalogue.unknownAmong(command.lines().stream().map(OrderLine::productId).toList());
        if (!unknown.isEmpty()) {
            return new Placement.UnknownProducts(unknown);
        }
        UUID orderId = UUID.randomUUID();
        if (idempotencyKey.isPresent()) {
            var earlier = idempotencyKeys.claim(idempotencyKey.get(), command.fingerprint(), orderId);
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(command.fingerprint())) {
                    return new Placement.KeyReused(idempotencyKey.get());
                }
                return new Placement.Replayed(orders.find(earlier.get().orderId())
                        .orElseThrow(() -> new IllegalStateException("idempotency key points to a missing order")));
            }
        }
        OrderPlaced placed = Order.place(orderId, command.customerId(), command.currency(), command.lines(),
                now());
        orders.insert(placed.order());
        events.placed(placed);
        return new Placement.Created(placed.order());
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(UUID id) {
        return orders.find(id);
    }

    /** Inventory listed a product. Runs in the consumer's transaction. */
    public void productListed(String productId, String name, java.time.Instant listedAt) {
        catalogue.listed(productId, name, listedAt);
    }

    /** Inventory reserved every item. Runs in the consumer's transaction. */
    public void stockReserved(UUID orderId) {
        update(orderId, order -> order.stockReserved(now()), "StockReserved");
    }

    /** Inventory could not reserve the order. Runs in the consumer's transaction. */
    public void stockRejected(UUID orderId, String reason) {
        update(orderId, order -> order.stockRejected(reason, now()), "StockRejected");
    }

    /** PostgreSQL keeps microseconds; an order must read back as it was written. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private void update(UUID orderId, java.util.function.Function<Order, Transition> change, String cause) {
        Order order = orders.findForUpdate(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        Transition transition = change.apply(order);
        switch (transition) {
            case APPLIED -> orders.updateStatus(order);
            case ALREADY_THERE -> log.debug("Order {} already {}; {} changes nothing", orderId, order.status(), cause);
            case IGNORED -> log.warn("Order {} is {}; {} cannot move it and is ignored", orderId, order.status(),
                    cause);
        }
    }
}
