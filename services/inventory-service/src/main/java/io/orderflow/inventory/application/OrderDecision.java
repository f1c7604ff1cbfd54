package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.ReservationDecision;
import java.util.UUID;

/** What was decided for an order. */
public record OrderDecision(UUID orderId, ReservationDecision decision) {}
