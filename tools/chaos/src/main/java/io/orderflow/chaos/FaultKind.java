package io.orderflow.chaos;

/** The faults a chaos run injects. */
public enum FaultKind {
    /** SIGKILL of a service instance; it is started again after a while. */
    SERVICE_KILL("service SIGKILL"),
    /**
     * SIGKILL of a service instance at the moment it is inside a database transaction: a consumer between its inbox
     * rows and its commit, or a relay between the broker's ack and the delete of what it sent.
     */
    SERVICE_KILL_IN_TRANSACTION("service SIGKILL inside a transaction"),
    /** SIGSTOP for longer than the consumer session timeout, then SIGCONT: it wakes up fenced out. */
    SERVICE_PAUSE("service SIGSTOP"),
    /** SIGKILL of a Kafka node (sometimes the active controller), started again after a while. */
    BROKER_KILL("broker SIGKILL"),
    /** PostgreSQL stopped cleanly (fast shutdown) and started again. */
    DATABASE_RESTART("PostgreSQL restart"),
    /** PostgreSQL stopped at once (immediate shutdown, a crash: recovery from the WAL) and started again. */
    DATABASE_CRASH("PostgreSQL crash"),
    /** The payment provider answers every request 503 for a while. */
    PROVIDER_OUTAGE("provider outage"),
    /** The payment provider takes seconds to answer, past the payment service's time limit. */
    PROVIDER_SLOW("provider slow"),
    /** The payment provider answers a share of requests 500 before doing anything. */
    PROVIDER_ERRORS("provider errors"),
    /** The schema registry stopped and started again. */
    REGISTRY_RESTART("registry restart");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
