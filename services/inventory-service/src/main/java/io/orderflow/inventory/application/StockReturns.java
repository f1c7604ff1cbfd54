package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.HeldStock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;

/**
 * The compensations: an order's stock comes back once, and only once no shipment for it can be live. A cancellation
 * alone does not give it back (a paid order may have a shipment booked); the word that nothing was charged, a refund
 * nobody shipped for, or the shipment called off does. Every method runs in the consumer's transaction, and each
 * returns what was released, to be announced, or empty when there is nothing to say.
 */
@Service
public class StockReturns {

    /** The release reason when the stock is freed before the order's cancellation was read. */
    static final String ORDER_CANCELLED = "ORDER_CANCELLED";

    private final StockRepository stock;

    public StockReturns(StockRepository stock) {
        this.stock = stock;
    }

    /** A declined payment: nothing was charged, so nothing ships; the stock comes back now. */
    public Optional<Released> paymentDeclined(UUID orderId, String reason) {
        return releaseIf(orderId, held -> true, reason);
    }

    /**
     * The order is cancelled. Its stock stays held until no shipment can be live; the cancellation is noted for the
     * release to carry its reason. An order never decided (its cancellation read before its placement: a replayed
     * dead letter, a lagging partition) is remembered as cancelled and answered at once with nothing released, so
     * that the order can finish cancelling and its placement, when it comes, reserves nothing.
     */
    public Optional<Released> cancelled(UUID orderId, String reason) {
        Optional<HeldStock> held = stock.lockHeld(orderId);
        if (held.isPresent()) {
            stock.noteCancellation(orderId, reason);
            return Optional.empty();
        }
        return stock.rememberCancelledUndecided(orderId, reason)
                ? Optional.of(new Released(List.of(), reason))
                : Optional.empty();
    }

    /**
     * Payment-service made sure nothing was charged and nothing will be: nothing can ship. A void read before the
     * order's placement (the orders subscription lags behind the payments one, after a restart say) is remembered
     * like a cancellation read early, and answered at once, so that the placement reserves nothing; a reservation
     * committed meanwhile by the other subscription is found once the insert has waited for it, and released.
     */
    public Optional<Released> paymentVoided(UUID orderId) {
        Optional<Released> released = releaseIf(orderId, held -> true, ORDER_CANCELLED);
        if (released.isPresent()) {
            return released;
        }
        if (stock.rememberCancelledUndecided(orderId, ORDER_CANCELLED)) {
            return Optional.of(new Released(List.of(), ORDER_CANCELLED));
        }
        return releaseIf(orderId, held -> true, ORDER_CANCELLED);
    }

    /** Orders paid: shipping-service books a shipment for each. */
    public void paymentsAuthorized(Collection<UUID> orderIds) {
        if (!orderIds.isEmpty()) {
            stock.notePaymentAuthorized(orderIds);
        }
    }

    /** A charge was refunded: free only when nobody was told it was paid (its answer was lost). */
    public Optional<Released> paymentRefunded(UUID orderId) {
        return releaseIf(orderId, HeldStock::freeAfterRefund, ORDER_CANCELLED);
    }

    /** shipping-service called the order's shipment off: nothing of it is live any more. */
    public Optional<Released> shipmentCalledOff(UUID orderId) {
        return releaseIf(orderId, held -> true, ORDER_CANCELLED);
    }

    private Optional<Released> releaseIf(UUID orderId, Predicate<HeldStock> free, String fallbackReason) {
        return stock.lockHeld(orderId).filter(free).map(held -> {
            String reason = held.releaseReason(fallbackReason);
            stock.release(orderId, held.lines(), reason);
            return new Released(held.lines(), reason);
        });
    }
}
