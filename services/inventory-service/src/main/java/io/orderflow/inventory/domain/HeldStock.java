package io.orderflow.inventory.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The stock an order holds, and what inventory knows of its cancellation and payment: enough to tell when the stock
 * may come back. It may come back only once no shipment for the order can be live, or the same units would be sold
 * twice while the first buyer's parcel is still on its way.
 *
 * @param cancelReason      the release reason of the order's cancellation, once it was read
 * @param paymentAuthorized a PaymentAuthorized was read for the order: shipping-service may have booked a shipment
 */
public record HeldStock(List<RequestedLine> lines, Optional<String> cancelReason, boolean paymentAuthorized) {

    public HeldStock {
        lines = List.copyOf(lines);
        Objects.requireNonNull(cancelReason, "cancelReason");
    }

    /**
     * Whether a refund of the order's charge means no shipment can be live. shipping-service books only on a
     * PaymentAuthorized, which precedes the refund on the same partition of the payments topic: if none was read
     * before the refund, the charge's answer was lost and nobody shipped; otherwise the stock waits for the
     * shipment to be called off.
     */
    public boolean freeAfterRefund() {
        return !paymentAuthorized;
    }

    /** The reason the release carries: the cancellation's, or {@code fallback} when it has not been read yet. */
    public String releaseReason(String fallback) {
        return cancelReason.orElse(fallback);
    }
}
