package io.orderflow.view.web;

/** A query the view cannot answer as asked: the message says what to change. */
class BadQueryException extends RuntimeException {
    BadQueryException(String message) {
        super(message);
    }
}
