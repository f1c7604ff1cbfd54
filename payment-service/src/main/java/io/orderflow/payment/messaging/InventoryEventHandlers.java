package io.orderflow.payment.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.eventing.consumer.DependencyUnavailableException;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.payment.application.PaymentGatewayUnavailableException;
import io.orderflow.payment.application.PaymentService;
import io.orderflow.payment.domain.Payment;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** payment-service's subscription to inventory: reserved stock is the signal to take the payment. */
@Configuration(proxyBeanMethods = false)
class InventoryEventHandlers {

    static final String CONSUMER = "payment-service";

    @Bean
    EventConsumer inventoryEvents(PaymentService payments, Outbox outbox) {
        return EventConsumer.of(CONSUMER, Topics.INVENTORY)
                .on(StockReserved.class, event -> onStockReserved(event, payments, outbox))
                .build();
    }

    private static void onStockReserved(IncomingEvent<StockReserved> event, PaymentService payments, Outbox outbox) {
        StockReserved reserved = event.payload();
        try {
            payments.authorize(UUID.fromString(reserved.getOrderId()), reserved.getCustomerId(),
                            reserved.getTotalAmount(), reserved.getCurrency())
                    .ifPresent(payment -> outbox.appendCausedBy(event.envelope(), Topics.PAYMENTS,
                            reserved.getOrderId(), toEvent(payment)));
        } catch (PaymentGatewayUnavailableException e) {
            // Not this record's fault: it waits (never dead-lettered) until the provider answers again.
            throw new DependencyUnavailableException(e.getMessage(), e);
        }
    }

    private static SpecificRecord toEvent(Payment payment) {
        if (payment.status() == Payment.Status.AUTHORIZED) {
            return PaymentAuthorized.newBuilder()
                    .setOrderId(payment.orderId().toString())
                    .setCustomerId(payment.customerId())
                    .setAmount(payment.amount())
                    .setCurrency(payment.currency())
                    .setChargeId(payment.chargeId())
                    .setAuthorizedAt(payment.decidedAt())
                    .build();
        }
        return PaymentDeclined.newBuilder()
                .setOrderId(payment.orderId().toString())
                .setReason(payment.declineReason())
                .setDeclinedAt(payment.decidedAt())
                .build();
    }
}
