package io.orderflow.inventory.messaging;

import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.inventory.application.ReservationService;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** What each of inventory's subscriptions locks before its batch: the stock rows its events are going to change. */
final class BatchStockLocks {

    private BatchStockLocks() {
    }

    /** Placed orders reserve their products; cancelled ones give back what they hold. */
    static void forOrderEvents(List<IncomingEvent<SpecificRecord>> events, ReservationService reservations) {
        List<String> products = new ArrayList<>();
        List<UUID> releasing = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            if (event.payload() instanceof OrderPlaced placed) {
                placed.getLines().forEach(line -> products.add(line.getProductId()));
            } else if (event.payload() instanceof OrderCancellationRequested cancelled) {
                releasing.add(UUID.fromString(cancelled.getOrderId()));
            }
        }
        reservations.lockStockFor(products, releasing);
    }

    /** Declined orders give back what they hold. */
    static void forPaymentEvents(List<IncomingEvent<SpecificRecord>> events, ReservationService reservations) {
        List<UUID> releasing = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            if (event.payload() instanceof PaymentDeclined declined) {
                releasing.add(UUID.fromString(declined.getOrderId()));
            }
        }
        reservations.lockStockFor(List.of(), releasing);
    }
}
