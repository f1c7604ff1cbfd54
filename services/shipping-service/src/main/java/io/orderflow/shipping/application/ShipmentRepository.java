package io.orderflow.shipping.application;

import io.orderflow.shipping.domain.Shipment;
import java.util.Optional;
import java.util.UUID;

public interface ShipmentRepository {

    Optional<Shipment> find(UUID orderId);

    void insert(Shipment shipment);

    void cancelled(Shipment shipment);
}
