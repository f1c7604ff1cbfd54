package io.orderflow.order.application;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.order.domain.Order;
import java.util.Optional;

/** Where the order's decisions are published: the outbox, inside the transaction that stored them. */
public interface OrderEvents {

    /**
     * Publishes what the order's newly raised events mean to the other services.
     *
     * @param cause the event being handled, or empty for a customer's request or a deadline
     */
    void publish(Order order, Optional<Envelope> cause);
}
