package io.orderflow.payment.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.eventing.consumer.DependencyUnavailableException;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.payment.application.PaymentGatewayUnavailableException;
import io.orderflow.payment.application.PaymentService;
import io.orderflow.payment.domain.Payment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** payment-service's subscription to inventory: reserved stock is the signal to take the payment. */
@Configuration(proxyBeanMethods = false)
class InventoryEventConsumerConfiguration {

    static final String CONSUMER = "payment-service";

    @Bean
    EventConsumer inventoryEvents(PaymentService payments, Outbox outbox) {
        return EventConsumer.of(CONSUMER, Topics.INVENTORY)
                // The listener hands each run of one event type to its handler separately, in key order, so events
                // of other types split a batch's StockReserved into several calls of authorizeAll, each locking its
                // own group. All the batch's orders are locked here first instead, through the method and in the
                // order the cancellations consumer uses: the two wait for each other and cannot deadlock.
                .beforeEachBatch(events -> payments.lockAll(events.stream()
                        .filter(event -> event.payload() instanceof StockReserved)
                        .map(event -> UUID.fromString(((StockReserved) event.payload()).getOrderId()))
                        .toList()))
                .onBatch(StockReserved.class, events -> onStockReserved(events, payments, outbox))
                .build();
    }

    private static void onStockReserved(
            List<IncomingEvent<StockReserved>> events, PaymentService payments, Outbox outbox) {
        Map<UUID, Payment> decided;
        try {
            decided = new HashMap<>(payments.authorizeAll(events.stream()
                    .map(event -> new PaymentService.ChargeOrder(
                            UUID.fromString(event.payload().getOrderId()),
                            event.payload().getCustomerId(),
                            event.payload().getTotalAmount(),
                            event.payload().getCurrency()))
                    .toList()));
        } catch (PaymentGatewayUnavailableException e) {
            // Not these records' fault: they wait (never dead-lettered) until the provider answers again.
            throw new DependencyUnavailableException(e.getMessage(), e);
        }
        for (IncomingEvent<StockReserved> event : events) {
            // the first delivery of an order in the batch publishes its decision; a second one finds it gone
            Payment payment = decided.remove(UUID.fromString(event.payload().getOrderId()));
            if (payment != null) {
                outbox.appendCausedBy(
                        event.envelope(), Topics.PAYMENTS, event.payload().getOrderId(), toEvent(payment));
            }
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
