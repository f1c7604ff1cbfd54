package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockReturns;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * inventory-service's subscription to payments: a declined or voided payment gives the order's stock back; an
 * authorized one is noted (a shipment may be booked for it), so that its refund waits for the shipment to be called
 * off, while a refund of a charge nobody was told about gives the stock back at once.
 */
@Configuration(proxyBeanMethods = false)
class PaymentEventConsumerConfiguration {

    static final String CONSUMER = "inventory-service-payments";

    @Bean
    EventConsumer paymentEvents(ReservationService reservations, StockReturns returns, Outbox outbox, Clock clock) {
        return EventConsumer.of(CONSUMER, Topics.PAYMENTS)
                .beforeEachBatch(events -> BatchStockLocks.forPaymentEvents(events, reservations))
                .onBatch(
                        PaymentAuthorized.class,
                        events -> returns.paymentsAuthorized(events.stream()
                                .map(event -> UUID.fromString(event.payload().getOrderId()))
                                .toList()))
                .on(
                        PaymentDeclined.class,
                        event -> StockReleases.announce(
                                event,
                                event.payload().getOrderId(),
                                returns.paymentDeclined(
                                        orderId(event.payload().getOrderId()), ReleaseReason.PAYMENT_DECLINED.name()),
                                outbox,
                                clock))
                .on(
                        PaymentVoided.class,
                        event -> StockReleases.announce(
                                event,
                                event.payload().getOrderId(),
                                returns.paymentVoided(orderId(event.payload().getOrderId())),
                                outbox,
                                clock))
                .on(
                        PaymentRefunded.class,
                        event -> StockReleases.announce(
                                event,
                                event.payload().getOrderId(),
                                returns.paymentRefunded(orderId(event.payload().getOrderId())),
                                outbox,
                                clock))
                .build();
    }

    private static UUID orderId(String value) {
        return UUID.fromString(value);
    }
}
