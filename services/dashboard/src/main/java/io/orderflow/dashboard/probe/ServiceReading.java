package io.orderflow.dashboard.probe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one service said about itself at one moment. A service that did not answer is {@code UNREACHABLE}; one that
 * the dashboard could not read with its token (none to be had, or refused) is {@code UNAUTHORIZED}: either with the
 * reason in {@code detail}, and the rest empty.
 *
 * @param status        its health: UP, DEGRADED, OUT_OF_SERVICE, DOWN, UNREACHABLE or UNAUTHORIZED
 * @param handled       events its consumers have handled since it started
 * @param published     events its outbox relay has published since it started
 * @param deadLettered  records its consumers have dead-lettered since it started
 * @param outboxBacklog rows waiting in its outbox
 * @param breakers      its circuit breakers, by name, with their state
 * @param sagas         orders per saga status (order-service only)
 */
public record ServiceReading(
        String name,
        String url,
        Instant readAt,
        String status,
        String detail,
        List<GroupLag> lag,
        double handled,
        double published,
        double deadLettered,
        double outboxBacklog,
        Map<String, String> breakers,
        Map<String, Long> sagas) {

    public static final String UNREACHABLE = "UNREACHABLE";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";

    public ServiceReading {
        lag = List.copyOf(lag);
        breakers = Map.copyOf(breakers);
        sagas = Map.copyOf(sagas);
    }

    static ServiceReading unreachable(String name, String url, Instant at, String why) {
        return new ServiceReading(name, url, at, UNREACHABLE, why, List.of(), 0, 0, 0, 0, Map.of(), Map.of());
    }

    static ServiceReading unauthorized(String name, String url, Instant at, String why) {
        return new ServiceReading(name, url, at, UNAUTHORIZED, why, List.of(), 0, 0, 0, 0, Map.of(), Map.of());
    }

    /** Whether the service was read: false for one that did not answer or did not let the dashboard in. */
    public boolean reachable() {
        return !UNREACHABLE.equals(status) && !UNAUTHORIZED.equals(status);
    }

    public record GroupLag(String group, long records, double secondsBehind) {}
}
