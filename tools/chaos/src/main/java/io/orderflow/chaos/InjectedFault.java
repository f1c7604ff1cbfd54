package io.orderflow.chaos;

/**
 * A fault as it happened.
 *
 * @param target   the instance, node or component it hit
 * @param detail   what exactly happened: the process killed, the statement it was in, the switches set
 * @param startMs  from the start of the load
 * @param healedMs when the component was back (a process healthy again, an outage over); -1 if it never was
 */
public record InjectedFault(FaultKind kind, String target, String detail, long startMs, long healedMs) {

    public boolean healed() {
        return healedMs >= 0;
    }
}
