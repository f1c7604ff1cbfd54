package io.orderflow.view.domain;

/** The shipment as far as the view knows it. */
public record Shipment(Status status, String carrier, String trackingNumber, String reason) {

    public enum Status {
        SCHEDULED,
        CANCELLED
    }
}
