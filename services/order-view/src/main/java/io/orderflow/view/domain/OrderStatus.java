package io.orderflow.view.domain;

/** The write side's statuses, derived here from the facts seen so far. */
public enum OrderStatus {
    PLACED,
    RESERVED,
    PAID,
    CONFIRMED,
    REJECTED,
    CANCELLING,
    CANCELLED,
    COMPENSATION_FAILED;

    public boolean isFinal() {
        return this == CONFIRMED || this == REJECTED || this == CANCELLED || this == COMPENSATION_FAILED;
    }
}
