package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.ReservationDecision;
import io.orderflow.inventory.domain.Reservations;
import io.orderflow.inventory.domain.StockLevel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reserves an order's stock. Runs in the consumer's transaction, with the inbox entry and the outgoing event. */
@Service
public class ReservationService {

    private final StockRepository stock;

    public ReservationService(StockRepository stock) {
        this.stock = stock;
    }

    /**
     * Decides on orders in the order given, each seeing the stock the ones before it left, and stores the decisions
     * in a few statements whatever their number.
     *
     * @return the decisions, in the order given; an order decided before (the event that said so is already out),
     *         or named twice, appears once or not at all
     */
    public List<OrderDecision> reserveAll(List<OrderRequest> orders) {
        Set<String> products = new HashSet<>();
        orders.forEach(order -> order.lines().forEach(line -> products.add(line.productId())));
        Map<String, StockLevel> levels = new HashMap<>(stock.lockStock(products));
        Set<UUID> decided = new HashSet<>(
                stock.decidedAmong(orders.stream().map(OrderRequest::orderId).toList()));
        List<OrderDecision> decisions = new ArrayList<>();
        for (OrderRequest order : orders) {
            if (!decided.add(order.orderId())) {
                continue;
            }
            ReservationDecision decision = Reservations.decide(order.lines(), levels);
            if (decision instanceof ReservationDecision.Reserve reserve) {
                reserve.lines()
                        .forEach(line -> levels.computeIfPresent(
                                line.productId(),
                                (product, level) -> new StockLevel(product, level.available() - line.quantity())));
            }
            decisions.add(new OrderDecision(order.orderId(), decision));
        }
        stock.record(decisions);
        return decisions;
    }

    /**
     * Locks, in product order, every stock row a batch of events is going to change: the products of the orders it
     * reserves and those held by the orders it releases. Taken first in the batch's transaction, so that inventory's
     * two subscriptions (orders and payments), whose batches change the same products, wait for each other instead
     * of deadlocking, which they did when each event locked its own products as it came.
     */
    public void lockStockFor(Collection<String> productsToReserve, Collection<UUID> ordersToRelease) {
        Set<String> products = new HashSet<>(productsToReserve);
        products.addAll(stock.productsOf(ordersToRelease));
        if (!products.isEmpty()) {
            stock.lockStock(products);
        }
    }

    public List<StockRepository.ProductStock> stock() {
        return stock.all();
    }
}
