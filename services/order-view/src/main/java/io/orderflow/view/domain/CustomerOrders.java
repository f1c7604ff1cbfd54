package io.orderflow.view.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's orders, newest first, and what they are worth. The list keeps the {@link #RECENT} newest orders so that
 * a frequent buyer's view stays small; the count and the lifetime value cover every order.
 *
 * @param lifetimeValue the totals of the customer's confirmed orders, per currency
 */
public record CustomerOrders(long orderCount, Map<String, BigDecimal> lifetimeValue, List<OrderSummary> recentOrders) {

    public static final int RECENT = 100;
    private static final Comparator<OrderSummary> NEWEST_FIRST = Comparator.comparing(OrderSummary::placedAt)
            .thenComparing(OrderSummary::orderId)
            .reversed();

    public CustomerOrders {
        lifetimeValue = new TreeMap<>(lifetimeValue);
        recentOrders = List.copyOf(recentOrders);
    }

    public static CustomerOrders none() {
        return new CustomerOrders(0, Map.of(), List.of());
    }

    /**
     * Takes in an order's new summary.
     *
     * @param previous the order's summary before this change; null when the customer's history did not have it
     */
    public CustomerOrders with(OrderSummary previous, OrderSummary current) {
        Map<String, BigDecimal> value = new TreeMap<>(lifetimeValue);
        if (previous != null) {
            value.merge(previous.currency(), previous.value().negate(), BigDecimal::add);
        }
        value.merge(current.currency(), current.value(), BigDecimal::add);
        List<OrderSummary> orders = new ArrayList<>(recentOrders);
        boolean known = orders.removeIf(order -> order.orderId().equals(current.orderId()));
        orders.add(current);
        orders.sort(NEWEST_FIRST);
        if (orders.size() > RECENT) {
            orders = orders.subList(0, RECENT);
        }
        long count = previous == null && !known ? orderCount + 1 : orderCount;
        return new CustomerOrders(count, value, orders);
    }
}
