package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.inventory.application.ReservationService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** inventory-service's subscription to payments: a declined payment gives the order's stock back. */
@Configuration(proxyBeanMethods = false)
class PaymentEventHandlers {

    static final String CONSUMER = "inventory-service-payments";

    @Bean
    EventConsumer paymentEvents(ReservationService reservations, Outbox outbox, Clock clock) {
        return EventConsumer.of(CONSUMER, Topics.PAYMENTS)
                .beforeEachBatch(events -> BatchStockLocks.forPaymentEvents(events, reservations))
                .on(PaymentDeclined.class, event -> StockReleases.release(event, event.payload().getOrderId(),
                        ReleaseReason.PAYMENT_DECLINED, reservations, outbox, clock))
                .build();
    }
}
