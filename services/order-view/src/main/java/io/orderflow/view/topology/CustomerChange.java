package io.orderflow.view.topology;

import io.orderflow.view.domain.OrderSummary;

/** An order's line in its customer's history changed from {@code previous} (null: new) to {@code current}. */
record CustomerChange(String customerId, OrderSummary previous, OrderSummary current) {}
