package io.orderflow.view.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What any context reported about an order, as the read side needs it. The view is built from these alone, whichever
 * topic they came from and in whichever order they arrive.
 */
public sealed interface OrderFact {

    /** Placed by its customer. */
    record Placed(String customerId, String currency, List<Item> items, BigDecimal totalAmount) implements OrderFact {
        public Placed {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(currency, "currency");
            items = List.copyOf(items);
            Objects.requireNonNull(totalAmount, "totalAmount");
        }
    }

    record StockReserved() implements OrderFact {}

    record StockRejected(String reason) implements OrderFact {}

    record StockReleased(String reason) implements OrderFact {}

    record PaymentAuthorized(BigDecimal amount, String currency, String chargeId) implements OrderFact {}

    record PaymentDeclined(String reason) implements OrderFact {}

    record PaymentVoided(String reason) implements OrderFact {}

    record PaymentRefunded(BigDecimal amount, String currency, String refundId) implements OrderFact {}

    record PaymentRefundFailed(String reason) implements OrderFact {}

    record ShipmentScheduled(String carrier, String trackingNumber) implements OrderFact {}

    record ShipmentCancelled(String reason) implements OrderFact {}

    record CancellationRequested(String reason) implements OrderFact {}

    record Confirmed() implements OrderFact {}

    record Rejected(String reason) implements OrderFact {}

    record Cancelled(String reason) implements OrderFact {}

    record CompensationFailed(String reason) implements OrderFact {}
}
