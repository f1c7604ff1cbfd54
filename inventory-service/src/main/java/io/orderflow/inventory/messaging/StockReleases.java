package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.inventory.application.ReservationService;
import java.time.Clock;
import io.orderflow.inventory.domain.RequestedLine;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives an order's stock back and says so, once: whichever of a declined payment, a customer's cancel or an expired
 * deadline comes first releases the stock; the others find nothing held and publish nothing.
 */
final class StockReleases {

    private StockReleases() {
    }

    static void release(IncomingEvent<?> cause, String orderId, ReleaseReason reason, ReservationService reservations,
                        Outbox outbox, Clock clock) {
        publish(cause, orderId, reason, reservations.release(UUID.fromString(orderId), reason.name()), outbox, clock);
    }

    /**
     * As {@link #release}, for a cancellation: one read before its order's placement is answered too (with no
     * lines), so that the order can finish cancelling; inventory remembers it and reserves nothing for that order.
     */
    static void cancel(IncomingEvent<?> cause, String orderId, ReleaseReason reason, ReservationService reservations,
                       Outbox outbox, Clock clock) {
        publish(cause, orderId, reason, reservations.cancel(UUID.fromString(orderId), reason.name()), outbox, clock);
    }

    private static void publish(IncomingEvent<?> cause, String orderId, ReleaseReason reason,
                                Optional<List<RequestedLine>> released, Outbox outbox, Clock clock) {
        released.ifPresent(lines -> outbox.appendCausedBy(cause.envelope(), Topics.INVENTORY, orderId,
                        StockReleased.newBuilder()
                                .setOrderId(orderId)
                                .setReason(reason)
                                .setLines(lines.stream()
                                        .map(line -> new ReservedLine(line.productId(), line.quantity()))
                                        .toList())
                                .setReleasedAt(clock.instant())
                                .build()));
    }
}
