package io.orderflow.shipping.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A paid order's shipment, booked with one carrier under a tracking number of that carrier's format.
 *
 * @param customerId  whose order it is, from the payment's authorization; null when it was called off before it
 *                    was ever booked, or booked before the customer was recorded
 * @param cancelledAt when it was called off because its payment was refunded; null while it stands
 * @param carrier     null, with the tracking number and the booking time, when it was called off before it was
 *                    ever booked
 */
public record Shipment(
        UUID orderId,
        String customerId,
        String carrier,
        String trackingNumber,
        Instant scheduledAt,
        Instant cancelledAt,
        String cancelReason) {

    /** The carriers and the prefix of their tracking numbers. */
    private static final List<String[]> CARRIERS =
            List.of(new String[] {"DHL", "JD"}, new String[] {"UPS", "1Z"}, new String[] {"DPD", "05"});

    public Shipment {
        Objects.requireNonNull(orderId, "orderId");
        if (cancelledAt == null) {
            Objects.requireNonNull(carrier, "carrier");
            Objects.requireNonNull(trackingNumber, "trackingNumber");
            Objects.requireNonNull(scheduledAt, "scheduledAt");
        }
    }

    /**
     * The order's payment was refunded before any shipment was booked for it (its authorization was dead-lettered,
     * say): nothing is booked, and nothing will be when the authorization comes after all.
     */
    public static Shipment calledOffBeforeBooking(UUID orderId, String reason, Instant at) {
        return new Shipment(
                orderId, null, null, null, null, Objects.requireNonNull(at), Objects.requireNonNull(reason));
    }

    public boolean wasBooked() {
        return carrier != null;
    }

    public boolean isCancelled() {
        return cancelledAt != null;
    }

    public Shipment cancel(String reason, Instant at) {
        return new Shipment(
                orderId, customerId, carrier, trackingNumber, scheduledAt, at, Objects.requireNonNull(reason));
    }

    /**
     * Books an order with a carrier. The carrier follows from the order, so a repeated booking of one order would
     * pick the same one; the tracking number is random, as a carrier's is.
     */
    public static Shipment book(UUID orderId, String customerId, Instant at, RandomGenerator random) {
        String[] carrier = CARRIERS.get(Math.floorMod(orderId.hashCode(), CARRIERS.size()));
        StringBuilder tracking = new StringBuilder(carrier[1]);
        for (int i = 0; i < 14; i++) {
            tracking.append(random.nextInt(10));
        }
        return new Shipment(
                orderId, Objects.requireNonNull(customerId), carrier[0], tracking.toString(), at, null, null);
    }
}
