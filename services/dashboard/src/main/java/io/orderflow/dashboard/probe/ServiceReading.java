package io.orderflow.dashboard.probe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one service said about itself at one moment. A service that did not answer is {@code UNREACHABLE}, with the
 * reason in {@code detail}, and the rest empty.
 *
 * @param status        its health: UP, DEGRADED, OUT_OF_SERVICE, DOWN, or UNREACHABLE
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

    public ServiceReading {
        lag = List.copyOf(lag);
        breakers = Map.copyOf(breakers);
        sagas = Map.copyOf(sagas);
    }

    static ServiceReading unreachable(String name, String url, Instant at, String why) {
        return new ServiceReading(name, url, at, UNREACHABLE, why, List.of(), 0, 0, 0, 0, Map.of(), Map.of());
    }

    public boolean reachable() {
        return !UNREACHABLE.equals(status);
    }

    public record GroupLag(String group, long records, double secondsBehind) {}
}
