package io.orderflow.view.web;

/** The caller asked for another customer's data by that customer's id, which they already know: a 403 tells them no more. */
class NotYoursException extends RuntimeException {
    NotYoursException(String message) {
        super(message);
    }
}
