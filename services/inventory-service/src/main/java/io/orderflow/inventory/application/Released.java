package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.RequestedLine;
import java.util.List;

/** Stock an order gave back, and why; no lines when it held none and never will (cancelled before its placement). */
public record Released(List<RequestedLine> lines, String reason) {

    public Released {
        lines = List.copyOf(lines);
    }
}
