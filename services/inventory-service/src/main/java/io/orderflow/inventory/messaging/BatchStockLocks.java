package io.orderflow.inventory.messaging;

import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.inventory.application.ReservationService;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * What each of inventory's subscriptions locks before its batch: the stock rows its events may change, all at once
 * in product order, so that the subscriptions wait for each other instead of deadlocking.
 */
final class BatchStockLocks {

    private BatchStockLocks() {}

    /** Placed orders reserve their products (a cancellation changes no stock: the stock waits for payment). */
    static void forOrderEvents(List<IncomingEvent<SpecificRecord>> events, ReservationService reservations) {
        List<String> products = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            if (event.payload() instanceof OrderPlaced placed) {
                placed.getLines().forEach(line -> products.add(line.getProductId()));
            }
        }
        reservations.lockStockFor(products, List.of());
    }

    /** Declined, voided and refunded orders may give back what they hold. */
    static void forPaymentEvents(List<IncomingEvent<SpecificRecord>> events, ReservationService reservations) {
        List<UUID> releasing = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            if (event.payload() instanceof PaymentDeclined declined) {
                releasing.add(UUID.fromString(declined.getOrderId()));
            } else if (event.payload() instanceof PaymentVoided voided) {
                releasing.add(UUID.fromString(voided.getOrderId()));
            } else if (event.payload() instanceof PaymentRefunded refunded) {
                releasing.add(UUID.fromString(refunded.getOrderId()));
            }
        }
        reservations.lockStockFor(List.of(), releasing);
    }

    /** Shipments called off give back what their orders hold. */
    static void forShipmentEvents(List<IncomingEvent<SpecificRecord>> events, ReservationService reservations) {
        List<UUID> releasing = new ArrayList<>();
        for (IncomingEvent<SpecificRecord> event : events) {
            if (event.payload() instanceof ShipmentCancelled cancelled) {
                releasing.add(UUID.fromString(cancelled.getOrderId()));
            }
        }
        reservations.lockStockFor(List.of(), releasing);
    }
}
