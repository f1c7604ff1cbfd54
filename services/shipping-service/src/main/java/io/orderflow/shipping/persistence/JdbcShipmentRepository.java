package io.orderflow.shipping.persistence;

import io.orderflow.shipping.application.ShipmentRepository;
import io.orderflow.shipping.domain.Shipment;
import java.sql.Timestamp;
import java.time.Instant;
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
        return jdbc.sql(
                        "SELECT order_id, customer_id, carrier, tracking_number, scheduled_at, cancelled_at, cancel_reason "
                                + "FROM shipments WHERE order_id = ?")
                .param(orderId)
                .query((row, n) -> new Shipment(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        row.getString(3),
                        row.getString(4),
                        instant(row.getTimestamp(5)),
                        instant(row.getTimestamp(6)),
                        row.getString(7)))
                .optional();
    }

    @Override
    public void insert(Shipment shipment) {
        jdbc.sql("INSERT INTO shipments (order_id, customer_id, carrier, tracking_number, scheduled_at, "
                        + "cancelled_at, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        shipment.orderId(),
                        shipment.customerId(),
                        shipment.carrier(),
                        shipment.trackingNumber(),
                        timestamp(shipment.scheduledAt()),
                        timestamp(shipment.cancelledAt()),
                        shipment.cancelReason())
                .update();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    @Override
    public void cancelled(Shipment shipment) {
        jdbc.sql("UPDATE shipments SET cancelled_at = ?, cancel_reason = ? WHERE order_id = ?")
                .params(Timestamp.from(shipment.cancelledAt()), shipment.cancelReason(), shipment.orderId())
                .update();
    }
}
