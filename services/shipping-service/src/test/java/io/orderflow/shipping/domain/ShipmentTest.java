package io.orderflow.shipping.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ShipmentTest {

    @Test
    void anOrderAlwaysGoesWithTheSameCarrierUnderATrackingNumberOfItsFormat() {
        UUID orderId = UUID.randomUUID();
        Shipment first = Shipment.book(orderId, "alice", Instant.now(), new Random(1));
        Shipment second = Shipment.book(orderId, "alice", Instant.now(), new Random(2));
        assertThat(second.carrier()).isEqualTo(first.carrier());
        assertThat(first.trackingNumber()).hasSize(16).matches("(JD|1Z|05)\\d{14}");
        assertThat(first.trackingNumber()).isNotEqualTo(second.trackingNumber());
    }
}
