package io.orderflow.order.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.order.application.OrderEvents;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderPlaced;
import org.springframework.stereotype.Component;

/** Maps the order's domain events to their contracts and appends them to the outbox. */
@Component
class OutboxOrderEvents implements OrderEvents {

    private final Outbox outbox;

    OutboxOrderEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void placed(OrderPlaced placed) {
        Order order = placed.order();
        var event = io.orderflow.contracts.orders.OrderPlaced.newBuilder()
                .setOrderId(order.id().toString())
                .setCustomerId(order.customerId())
                .setCurrency(order.currency())
                .setLines(order.lines().stream()
                        .map(line -> new OrderLine(line.productId(), line.quantity(), line.unitPrice()))
                        .toList())
                .setTotalAmount(order.totalAmount())
                .setPlacedAt(order.placedAt())
                .build();
        outbox.appendFirst(Topics.ORDERS, order.id().toString(), event);
    }
}
