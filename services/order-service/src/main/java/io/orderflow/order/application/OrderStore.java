package io.orderflow.order.application;

import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The event store of orders; every method runs in the caller's transaction. */
public interface OrderStore {

    /** The order as its events (after its latest snapshot) say. */
    Optional<Order> load(UUID id);

    /** Every event of the order, oldest first; empty when there is no such order. */
    List<RecordedEvent> history(UUID id);

    /**
     * Appends the order's raised events after the version it was loaded at, and keeps its summary and snapshot.
     *
     * @throws ConcurrentOrderUpdateException when another writer appended to the order since it was loaded
     */
    void append(Order order);

    /** Summaries of orders, the most recently changed first. */
    List<OrderSummary> list(Optional<OrderStatus> status, int limit);

    /** How many orders are in each status, and since when the oldest order not yet final has waited. */
    SagaCensus census();
}
