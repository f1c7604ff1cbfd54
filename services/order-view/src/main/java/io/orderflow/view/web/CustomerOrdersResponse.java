package io.orderflow.view.web;

import io.orderflow.view.domain.CustomerOrders;
import io.orderflow.view.domain.OrderSummary;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** A customer's orders, newest first, and the value of their confirmed orders per currency. */
record CustomerOrdersResponse(
        String customerId, long orderCount, Map<String, BigDecimal> lifetimeValue, List<OrderSummary> recentOrders) {

    static CustomerOrdersResponse of(String customerId, CustomerOrders orders) {
        return new CustomerOrdersResponse(
                customerId, orders.orderCount(), orders.lifetimeValue(), orders.recentOrders());
    }
}
