package io.orderflow.view.web;

/** The view has nothing under that key. */
class NotInViewException extends RuntimeException {
    NotInViewException(String what) {
        super("the view has no " + what);
    }
}
