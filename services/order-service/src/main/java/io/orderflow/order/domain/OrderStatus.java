package io.orderflow.order.domain;

/** Where an order stands in its saga. */
public enum OrderStatus {
    /** Placed; waiting for inventory. */
    PLACED,
    /** All items reserved; waiting for the payment. */
    RESERVED,
    /** Payment authorized; waiting for the shipment. */
    PAID,
    /** Reserved, paid and shipped. Final. */
    CONFIRMED,
    /** Inventory could not reserve every item; nothing was reserved or charged. Final. */
    REJECTED,
    /** Being cancelled: waiting for the stock to be given back and the payment to be refunded or voided. */
    CANCELLING,
    /** Every compensation is done. Final. */
    CANCELLED,
    /** A compensation failed after its retries: an operator must act. */
    COMPENSATION_FAILED;

    public boolean isFinal() {
        return this == CONFIRMED || this == REJECTED || this == CANCELLED || this == COMPENSATION_FAILED;
    }

    /** Still waiting for its payment, so the payment deadline applies. */
    public boolean awaitsPayment() {
        return this == PLACED || this == RESERVED;
    }
}
