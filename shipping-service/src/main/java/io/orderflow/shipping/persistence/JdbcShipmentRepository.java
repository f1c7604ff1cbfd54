package io.orderflow.shipping.persistence;

import io.orderflow.shipping.application.ShipmentRepository;
import io.orderflow.shipping.domain.Shipment;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcShipmentRepository implements ShipmentRepository {

    private final JdbcClient jdbc;

    JdbcShipmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Shipment> find(UUID orderId) {
        return jdbc.sql("SELECT order_id, carrier, tracking_number, scheduled_at FROM shipments WHERE order_id = ?")
                .param(orderId)
                .query((row, n) -> new Shipment(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getTimestamp(4).toInstant()))
                .optional();
    }

    @Override
    public void insert(Shipment shipment) {
        jdbc.sql("INSERT INTO shipments (order_id, carrier, tracking_number, scheduled_at) VALUES (?, ?, ?, ?)")
                .params(shipment.orderId(), shipment.carrier(), shipment.trackingNumber(),
                        Timestamp.from(shipment.scheduledAt()))
                .update();
    }
}
