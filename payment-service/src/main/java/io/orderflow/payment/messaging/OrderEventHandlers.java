package io.orderflow.payment.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.payment.application.PaymentService;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * payment-service's subscription to the orders: a cancelled order's payment is voided or refunded. A separate consumer
 * from the charging one, so that cancellations go on while charging is paused by an open circuit.
 */
@Configuration(proxyBeanMethods = false)
class OrderEventHandlers {

    static final String CONSUMER = "payment-service-orders";

    @Bean
    EventConsumer orderEvents(PaymentService payments, Outbox outbox) {
        return EventConsumer.of(CONSUMER, Topics.ORDERS)
                // The charging consumer locks its whole batch at once; this one must take the same locks in the same
                // order, not one by one in the order of the record keys, or the two can deadlock.
                .beforeEachBatch(events -> payments.lockAll(events.stream()
                        .filter(event -> event.payload() instanceof OrderCancellationRequested)
                        .map(event -> UUID.fromString(((OrderCancellationRequested) event.payload()).getOrderId()))
                        .toList()))
                .on(OrderCancellationRequested.class, event -> {
                    String orderId = event.payload().getOrderId();
                    String reason = "order cancelled: " + event.payload().getReason();
                    payments.cancel(UUID.fromString(orderId), reason, event.envelope())
                            .ifPresent(voided -> outbox.appendCausedBy(event.envelope(), Topics.PAYMENTS, orderId,
                                    new PaymentVoided(orderId, reason, voided.decidedAt())));
                })
                .build();
    }
}
