package io.orderflow.inventory.application;

import io.orderflow.inventory.domain.RequestedLine;
import io.orderflow.inventory.domain.ReservationDecision;
import io.orderflow.inventory.domain.Reservations;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
     * Decides on an order and stores the decision.
     *
     * @return the decision; empty when this order was decided before (the event that said so is already out)
     */
    public Optional<ReservationDecision> reserve(UUID orderId, List<RequestedLine> lines) {
        var levels = stock.lockStock(lines.stream().map(RequestedLine::productId).distinct().toList());
        if (stock.reservationStatus(orderId).isPresent()) {
            return Optional.empty();
        }
        ReservationDecision decision = Reservations.decide(lines, levels);
        if (decision instanceof ReservationDecision.Reserve reserve) {
            stock.reserve(orderId, reserve.lines());
        } else {
            stock.recordRejection(orderId, ((ReservationDecision.Reject) decision).reason().name());
        }
        return Optional.of(decision);
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

    /**
     * Gives back the stock an order holds (a compensation), once.
     *
     * @return the released lines; empty when the order holds no stock (never reserved, rejected, or released before)
     */
    public Optional<List<RequestedLine>> release(UUID orderId, String reason) {
        Optional<List<RequestedLine>> held = stock.lockHeldLines(orderId);
        held.ifPresent(lines -> stock.release(orderId, lines, reason));
        return held;
    }

    public List<StockRepository.ProductStock> stock() {
        return stock.all();
    }
}
