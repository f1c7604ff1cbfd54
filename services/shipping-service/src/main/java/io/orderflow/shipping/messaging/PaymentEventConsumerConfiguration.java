package io.orderflow.shipping.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.shipping.application.ShippingService;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** shipping-service's subscription to payments: an authorized payment is the signal to ship, a refund to stop. */
@Configuration(proxyBeanMethods = false)
class PaymentEventConsumerConfiguration {

    static final String CONSUMER = "shipping-service";

    @Bean
    EventConsumer paymentEvents(ShippingService shipping, Outbox outbox) {
        return EventConsumer.of(CONSUMER, Topics.PAYMENTS)
                .on(
                        PaymentAuthorized.class,
                        event -> shipping.schedule(
                                        UUID.fromString(event.payload().getOrderId()),
                                        event.payload().getCustomerId())
                                .ifPresent(shipment -> outbox.appendCausedBy(
                                        event.envelope(),
                                        Topics.SHIPMENTS,
                                        event.payload().getOrderId(),
                                        ShipmentScheduled.newBuilder()
                                                .setOrderId(shipment.orderId().toString())
                                                .setCarrier(shipment.carrier())
                                                .setTrackingNumber(shipment.trackingNumber())
                                                .setScheduledAt(shipment.scheduledAt())
                                                .build())))
                .on(
                        PaymentRefunded.class,
                        event -> shipping.paymentRefunded(
                                        UUID.fromString(event.payload().getOrderId()))
                                .ifPresent(shipment -> outbox.appendCausedBy(
                                        event.envelope(),
                                        Topics.SHIPMENTS,
                                        event.payload().getOrderId(),
                                        new ShipmentCancelled(
                                                shipment.orderId().toString(),
                                                // Empty when it was called off before it was ever booked.
                                                shipment.wasBooked() ? shipment.trackingNumber() : "",
                                                shipment.cancelReason(),
                                                shipment.cancelledAt()))))
                .build();
    }
}
