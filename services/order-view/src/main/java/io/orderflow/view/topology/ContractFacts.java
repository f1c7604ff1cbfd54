package io.orderflow.view.topology;

import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderCancelled;
import io.orderflow.contracts.orders.OrderCompensationFailed;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.orders.OrderRejected;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.view.domain.Item;
import io.orderflow.view.domain.OrderFact;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Reads the contracts of every context as the facts the view is built from. */
final class ContractFacts {

    /** A fact about one order. */
    record OrderScoped(String orderId, OrderFact fact) {}

    private ContractFacts() {}

    /** The order fact an event states; empty for events that are not about an order (a product listed). */
    static Optional<OrderScoped> of(SpecificRecord event) {
        OrderScoped scoped = null;
        if (event instanceof OrderPlaced e) {
            scoped = new OrderScoped(
                    e.getOrderId(),
                    new OrderFact.Placed(
                            e.getCustomerId(),
                            e.getCurrency(),
                            e.getLines().stream()
                                    .map(line -> new Item(line.getProductId(), line.getQuantity(), line.getUnitPrice()))
                                    .toList(),
                            e.getTotalAmount()));
        } else if (event instanceof OrderCancellationRequested e) {
            scoped = new OrderScoped(
                    e.getOrderId(),
                    new OrderFact.CancellationRequested(e.getReason().name()));
        } else if (event instanceof OrderConfirmed e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.Confirmed());
        } else if (event instanceof OrderRejected e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.Rejected(e.getReason()));
        } else if (event instanceof OrderCancelled e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.Cancelled(e.getReason()));
        } else if (event instanceof OrderCompensationFailed e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.CompensationFailed(e.getReason()));
        } else if (event instanceof StockReserved e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.StockReserved());
        } else if (event instanceof StockRejected e) {
            scoped = new OrderScoped(
                    e.getOrderId(), new OrderFact.StockRejected(e.getReason().name()));
        } else if (event instanceof StockReleased e) {
            scoped = new OrderScoped(
                    e.getOrderId(), new OrderFact.StockReleased(e.getReason().name()));
        } else if (event instanceof PaymentAuthorized e) {
            scoped = new OrderScoped(
                    e.getOrderId(), new OrderFact.PaymentAuthorized(e.getAmount(), e.getCurrency(), e.getChargeId()));
        } else if (event instanceof PaymentDeclined e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.PaymentDeclined(e.getReason()));
        } else if (event instanceof PaymentVoided e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.PaymentVoided(e.getReason()));
        } else if (event instanceof PaymentRefunded e) {
            scoped = new OrderScoped(
                    e.getOrderId(), new OrderFact.PaymentRefunded(e.getAmount(), e.getCurrency(), e.getRefundId()));
        } else if (event instanceof PaymentRefundFailed e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.PaymentRefundFailed(e.getReason()));
        } else if (event instanceof ShipmentScheduled e) {
            scoped = new OrderScoped(
                    e.getOrderId(), new OrderFact.ShipmentScheduled(e.getCarrier(), e.getTrackingNumber()));
        } else if (event instanceof ShipmentCancelled e) {
            scoped = new OrderScoped(e.getOrderId(), new OrderFact.ShipmentCancelled(e.getReason()));
        }
        return Optional.ofNullable(scoped);
    }
}
