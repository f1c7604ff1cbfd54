package io.orderflow.order.application;

import io.orderflow.order.domain.Cancellation;
import io.orderflow.order.domain.Order;

/** The order after a cancellation request, and what the request did. */
public record CancelOutcome(Order order, Cancellation cancellation) {}
