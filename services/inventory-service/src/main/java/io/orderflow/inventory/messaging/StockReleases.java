package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.inventory.application.Released;
import java.time.Clock;
import java.util.Optional;

/** Says that an order's stock came back, caused by the event that freed it; says nothing when nothing came back. */
final class StockReleases {

    private StockReleases() {}

    static void announce(
            IncomingEvent<?> cause, String orderId, Optional<Released> released, Outbox outbox, Clock clock) {
        released.ifPresent(stock -> outbox.appendCausedBy(
                cause.envelope(),
                Topics.INVENTORY,
                orderId,
                StockReleased.newBuilder()
                        .setOrderId(orderId)
                        .setReason(ReleaseReason.valueOf(stock.reason()))
                        .setLines(stock.lines().stream()
                                .map(line -> new ReservedLine(line.productId(), line.quantity()))
                                .toList())
                        .setReleasedAt(clock.instant())
                        .build()));
    }
}
