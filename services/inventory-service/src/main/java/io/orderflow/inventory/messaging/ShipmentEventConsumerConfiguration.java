package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockReturns;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** inventory-service's subscription to shipping: a shipment called off frees the cancelled order's stock. */
@Configuration(proxyBeanMethods = false)
class ShipmentEventConsumerConfiguration {

    static final String CONSUMER = "inventory-service-shipments";

    @Bean
    EventConsumer shipmentEvents(ReservationService reservations, StockReturns returns, Outbox outbox, Clock clock) {
        return EventConsumer.of(CONSUMER, Topics.SHIPMENTS)
                .beforeEachBatch(events -> BatchStockLocks.forShipmentEvents(events, reservations))
                .on(
                        ShipmentCancelled.class,
                        event -> StockReleases.announce(
                                event,
                                event.payload().getOrderId(),
                                returns.shipmentCalledOff(
                                        UUID.fromString(event.payload().getOrderId())),
                                outbox,
                                clock))
                .build();
    }
}
