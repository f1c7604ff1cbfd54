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

    /** @return the new shipment, or empty when the order was booked before */
    public Optional<Shipment> schedule(UUID orderId) {
        if (shipments.find(orderId).isPresent()) {
            return Optional.empty();
        }
        Shipment shipment = Shipment.book(orderId, clock.instant(), random);
        shipments.insert(shipment);
        return Optional.of(shipment);
    }

    /**
     * The order's payment was refunded: its shipment, if one was booked, is called off. Payments of one order arrive
     * in order on one partition, so the authorization that booked it always came first.
     *
     * @return the cancelled shipment, or empty when there was none or it was cancelled before
     */
    public Optional<Shipment> paymentRefunded(UUID orderId) {
        Optional<Shipment> booked = shipments.find(orderId).filter(shipment -> !shipment.isCancelled());
        booked.ifPresent(shipment -> shipments.cancelled(shipment.cancel("payment refunded", clock.instant())));
        return booked.flatMap(shipment -> shipments.find(orderId));
    }
}
