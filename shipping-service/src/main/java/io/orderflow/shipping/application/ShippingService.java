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
}
