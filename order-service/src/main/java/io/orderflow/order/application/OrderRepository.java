package io.orderflow.order.application;

import io.orderflow.order.domain.Order;
import java.util.Optional;
import java.util.UUID;

/** Storage of orders; every method runs in the caller's transaction. */
public interface OrderRepository {

    void insert(Order order);

    Optional<Order> find(UUID id);

    /** Reads an order and locks it until the transaction ends, for a read-modify-write. */
    Optional<Order> findForUpdate(UUID id);

    void updateStatus(Order order);
}
