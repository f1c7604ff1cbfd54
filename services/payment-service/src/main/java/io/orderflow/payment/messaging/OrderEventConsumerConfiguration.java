package io.orderflow.payment.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.payment.application.PaymentService;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * payment-service's subscription to the orders: a cancelled order's payment is voided or refunded. A separate consumer
 * from the charging one, so that cancellations go on while charging is paused by an open circuit.
 */
@Configuration(proxyBeanMethods = false)
class OrderEventConsumerConfiguration {

    static final String CONSUMER = "payment-service-orders";

    @Bean
    EventConsumer orderEvents(PaymentService payments) {
        return EventConsumer.of(CONSUMER, Topics.ORDERS)
                // The charging consumer locks its whole batch at once; this one must take the same locks in the same
                // order, not one by one in the order of the record keys, or the two can deadlock.
                .beforeEachBatch(events -> payments.lockAll(events.stream()
                        .filter(event -> event.payload() instanceof OrderCancellationRequested)
                        .map(event -> UUID.fromString(((OrderCancellationRequested) event.payload()).getOrderId()))
                        .toList()))
                .on(OrderCancellationRequested.class, event -> {
                    String reason = "order cancelled: " + event.payload().getReason();
                    payments.cancel(UUID.fromString(event.payload().getOrderId()), reason, event.envelope());
                })
                .build();
    }
}
