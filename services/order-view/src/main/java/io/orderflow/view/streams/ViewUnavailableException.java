package io.orderflow.view.streams;

/** The view cannot answer now (starting, rebalancing, stopped): the client should retry shortly. */
public class ViewUnavailableException extends RuntimeException {
    public ViewUnavailableException(String message) {
        super(message);
    }
}
