package io.orderflow.order.domain;

/** Why an order is being cancelled. */
public enum CancellationReason {
    /** The customer asked for it. */
    CUSTOMER_REQUEST,
    /** The payment did not arrive before the deadline. */
    PAYMENT_DEADLINE_EXPIRED,
    /** The payment provider declined the payment. */
    PAYMENT_DECLINED
}
