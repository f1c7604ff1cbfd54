package io.orderflow.order.domain;

/** What an event did to an order, returned rather than thrown: a late or repeated answer is not an error. */
public enum Transition {
    /** The order moved to the new status. */
    APPLIED,
    /** The order already had that status. */
    ALREADY_THERE,
    /** The order is in a status the event cannot move it from; it stays as it is. */
    IGNORED
}
