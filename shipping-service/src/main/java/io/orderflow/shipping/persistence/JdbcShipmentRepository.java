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
        return jdbc.sql("SELECT order_id, carrier, tracking_number, scheduled_at, cancelled_at, cancel_reason "
                        + "FROM shipments WHERE order_id = ?")
                .param(orderId)
                .query((row, n) -> new Shipment(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getTimestamp(4).toInstant(),
                        row.getTimestamp(5) == null ? null : row.getTimestamp(5).toInstant(), row.getString(6)))
                .optional();
    }

    @Override
    public void insert(Shipment shipment) {
        jdbc.sql("INSERT INTO shipments (order_id, carrier, tracking_number, scheduled_at) VALUES (?, ?, ?, ?)")
                .params(shipment.orderId(), shipment.carrier(), shipment.trackingNumber(),
                        Timestamp.from(shipment.scheduledAt()))
                .update();
    }

    @Override
    public void cancelled(Shipment shipment) {
        jdbc.sql("UPDATE shipments SET cancelled_at = ?, cancel_reason = ? WHERE order_id = ?")
                .params(Timestamp.from(shipment.cancelledAt()), shipment.cancelReason(), shipment.orderId())
                .update();
    }
}
