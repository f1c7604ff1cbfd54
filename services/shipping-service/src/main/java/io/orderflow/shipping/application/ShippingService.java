package io.orderflow.shipping.application;

import io.orderflow.shipping.domain.Shipment;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.stereotype.Service;

/** Books one shipment per paid order, however often the payment is reported. */
@Service
public class ShippingService {

    private final ShipmentRepository shipments;
    private final Clock clock;
    private final RandomGenerator random = new SecureRandom();

    public ShippingService(ShipmentRepository shipments, Clock clock) {
        this.shipments = shipments;
        this.clock = clock;
    }

    /** @return the new shipment, or empty when the order was booked, or called off, before */
    public Optional<Shipment> schedule(UUID orderId, String customerId) {
        if (shipments.find(orderId).isPresent()) {
            return Optional.empty();
        }
        Shipment shipment = Shipment.book(orderId, customerId, clock.instant(), random);
        shipments.insert(shipment);
        return Optional.of(shipment);
    }

    /**
     * The order's payment was refunded: its shipment is called off. Payments of one order arrive in order on one
     * partition, so the authorization that booked it usually came first; when none did (it was dead-lettered and is
     * replayed later), the shipment is called off before it exists, so that the late authorization books nothing
     * and inventory, which waits for the shipment to be called off before it gives the stock back, hears so.
     *
     * @return the cancelled shipment, or empty when it was cancelled before
     */
    public Optional<Shipment> paymentRefunded(UUID orderId) {
        Optional<Shipment> existing = shipments.find(orderId);
        if (existing.isEmpty()) {
            Shipment calledOff = Shipment.calledOffBeforeBooking(
                    orderId, "payment refunded before the shipment was " + "booked", clock.instant());
            shipments.insert(calledOff);
            return Optional.of(calledOff);
        }
        Optional<Shipment> booked = existing.filter(shipment -> !shipment.isCancelled());
        booked.ifPresent(shipment -> shipments.cancelled(shipment.cancel("payment refunded", clock.instant())));
        return booked.flatMap(shipment -> shipments.find(orderId));
    }
}
