package io.orderflow.order.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderCancelled;
import io.orderflow.contracts.orders.OrderCompensationFailed;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.orders.OrderRejected;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.order.application.OrderEvents;
import io.orderflow.order.domain.CancellationReason;
import io.orderflow.order.domain.Order;
import io.orderflow.order.domain.OrderEvent;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.stereotype.Component;

/**
 * Maps the order's decisions to their contracts and appends them to the outbox. Facts the order recorded from other
 * services are not published again: their owners did.
 */
@Component
class OutboxOrderEvents implements OrderEvents {

    private final Outbox outbox;

    OutboxOrderEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void publish(Order order, Optional<Envelope> cause) {
        String key = order.id().toString();
        long version = order.loadedVersion();
        for (OrderEvent event : order.raised()) {
            version++;
            SpecificRecord contract = toContract(order, event);
            if (contract == null) {
                continue;
            }
            // The version travels with the event, so a read model can say whether it has seen a client's write.
            if (cause.isPresent()) {
                outbox.appendCausedBy(cause.get(), Topics.ORDERS, key, version, contract);
            } else {
                outbox.appendFirst(Topics.ORDERS, key, version, contract);
            }
        }
    }

    private static SpecificRecord toContract(Order order, OrderEvent event) {
        String id = order.id().toString();
        if (event instanceof OrderEvent.Placed placed) {
            return OrderPlaced.newBuilder()
                    .setOrderId(id)
                    .setCustomerId(placed.customerId())
                    .setCurrency(placed.currency())
                    .setLines(placed.lines().stream()
                            .map(line -> new OrderLine(line.productId(), line.quantity(), line.unitPrice()))
                            .toList())
                    .setTotalAmount(order.totalAmount())
                    .setPlacedAt(placed.at())
                    .build();
        }
        if (event instanceof OrderEvent.CancellationRequested requested) {
            return new OrderCancellationRequested(id, toContract(requested.reason()), requested.at());
        }
        if (event instanceof OrderEvent.Confirmed confirmed) {
            return new OrderConfirmed(
                    id, order.chargeId().orElseThrow(), order.trackingNumber().orElseThrow(), confirmed.at());
        }
        if (event instanceof OrderEvent.Rejected rejected) {
            return new OrderRejected(id, rejected.reason(), rejected.at());
        }
        if (event instanceof OrderEvent.Cancelled cancelled) {
            return new OrderCancelled(id, cancelled.reason(), cancelled.at());
        }
        if (event instanceof OrderEvent.CompensationFailed failed) {
            return new OrderCompensationFailed(id, failed.reason(), failed.at());
        }
        return null;
    }

    private static io.orderflow.contracts.orders.CancellationReason toContract(CancellationReason reason) {
        switch (reason) {
            case CUSTOMER_REQUEST:
                return io.orderflow.contracts.orders.CancellationReason.CUSTOMER_REQUEST;
            case PAYMENT_DEADLINE_EXPIRED:
                return io.orderflow.contracts.orders.CancellationReason.PAYMENT_DEADLINE_EXPIRED;
            default:
                return io.orderflow.contracts.orders.CancellationReason.OTHER;
        }
    }
}
