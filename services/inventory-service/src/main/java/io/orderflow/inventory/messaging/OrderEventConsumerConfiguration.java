package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.RejectionReason;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.CancellationReason;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.inventory.application.OrderDecision;
import io.orderflow.inventory.application.OrderRequest;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockReturns;
import io.orderflow.inventory.domain.RequestedLine;
import io.orderflow.inventory.domain.ReservationDecision;
import io.orderflow.inventory.domain.ShortLine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** inventory-service's subscription to the order events: reserve and say how it went; give back on cancellation. */
@Configuration(proxyBeanMethods = false)
class OrderEventConsumerConfiguration {

    static final String CONSUMER = "inventory-service";

    @Bean
    EventConsumer orderEvents(ReservationService reservations, StockReturns returns, Outbox outbox, Clock clock) {
        return EventConsumer.of(CONSUMER, Topics.ORDERS)
                .beforeEachBatch(events -> BatchStockLocks.forOrderEvents(events, reservations))
                .onBatch(OrderPlaced.class, events -> onOrdersPlaced(events, reservations, outbox, clock))
                .on(
                        OrderCancellationRequested.class,
                        event -> StockReleases.announce(
                                event,
                                event.payload().getOrderId(),
                                returns.cancelled(
                                        UUID.fromString(event.payload().getOrderId()),
                                        releaseReason(event.payload().getReason())
                                                .name()),
                                outbox,
                                clock))
                .build();
    }

    private static void onOrdersPlaced(
            List<IncomingEvent<OrderPlaced>> events, ReservationService reservations, Outbox outbox, Clock clock) {
        Map<UUID, IncomingEvent<OrderPlaced>> byOrder = new LinkedHashMap<>();
        List<OrderRequest> requests = new ArrayList<>(events.size());
        for (IncomingEvent<OrderPlaced> event : events) {
            UUID orderId = UUID.fromString(event.payload().getOrderId());
            byOrder.putIfAbsent(orderId, event);
            requests.add(new OrderRequest(
                    orderId,
                    event.payload().getLines().stream()
                            .map(line -> new RequestedLine(line.getProductId(), line.getQuantity()))
                            .toList()));
        }
        for (OrderDecision decided : reservations.reserveAll(requests)) {
            IncomingEvent<OrderPlaced> event = byOrder.get(decided.orderId());
            OrderPlaced placed = event.payload();
            var outgoing = decided.decision() instanceof ReservationDecision.Reserve reserve
                    ? StockReserved.newBuilder()
                            .setOrderId(placed.getOrderId())
                            .setCustomerId(placed.getCustomerId())
                            .setCurrency(placed.getCurrency())
                            .setTotalAmount(placed.getTotalAmount())
                            .setLines(reserve.lines().stream()
                                    .map(line -> new ReservedLine(line.productId(), line.quantity()))
                                    .toList())
                            .setReservedAt(clock.instant())
                            .build()
                    : rejected(placed.getOrderId(), (ReservationDecision.Reject) decided.decision(), clock);
            outbox.appendCausedBy(event.envelope(), Topics.INVENTORY, placed.getOrderId(), outgoing);
        }
    }

    private static ReleaseReason releaseReason(CancellationReason reason) {
        switch (reason) {
            case CUSTOMER_REQUEST:
                return ReleaseReason.ORDER_CANCELLED;
            case PAYMENT_DEADLINE_EXPIRED:
                return ReleaseReason.PAYMENT_DEADLINE_EXPIRED;
            default:
                return ReleaseReason.OTHER;
        }
    }

    private static StockRejected rejected(String orderId, ReservationDecision.Reject reject, Clock clock) {
        return StockRejected.newBuilder()
                .setOrderId(orderId)
                .setReason(RejectionReason.valueOf(reject.reason().name()))
                .setShortLines(reject.shortLines().stream()
                        .map(OrderEventConsumerConfiguration::toContract)
                        .toList())
                .setRejectedAt(clock.instant())
                .build();
    }

    private static io.orderflow.contracts.inventory.ShortLine toContract(ShortLine line) {
        return new io.orderflow.contracts.inventory.ShortLine(line.productId(), line.requested(), line.available());
    }
}
