package io.orderflow.security;

/** A start-up check of this module failed: what is wrong, and what to do about it. */
abstract class StartupRefusal extends IllegalStateException {

    StartupRefusal(String message) {
        super(message);
    }

    /** What is wrong, for the failure report. */
    String description() {
        return getMessage();
    }

    /** What to do about it. */
    abstract String action();
}
