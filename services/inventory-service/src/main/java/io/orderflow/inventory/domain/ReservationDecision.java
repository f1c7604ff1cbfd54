package io.orderflow.inventory.domain;

import java.util.List;

/** Whether an order's stock can be reserved: all of it or none. */
public sealed interface ReservationDecision {

    /** Every line is covered; the lines are per product, quantities summed. */
    record Reserve(List<RequestedLine> lines) implements ReservationDecision {}

    /** At least one line is not covered; nothing is reserved. */
    record Reject(Reason reason, List<ShortLine> shortLines) implements ReservationDecision {}

    enum Reason {
        INSUFFICIENT_STOCK,
        UNKNOWN_PRODUCT
    }
}
