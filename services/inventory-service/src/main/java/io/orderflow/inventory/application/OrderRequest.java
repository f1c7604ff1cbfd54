package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.RequestedLine;
import java.util.List;
import java.util.UUID;

/** An order asking for stock. */
public record OrderRequest(UUID orderId, List<RequestedLine> lines) {}
