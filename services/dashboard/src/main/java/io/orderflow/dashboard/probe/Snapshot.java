package io.orderflow.dashboard.probe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything the page shows, as of one refresh; sent to the browsers as JSON. */
public record Snapshot(
        Instant takenAt,
        List<ServiceView> services,
        Map<String, Long> sagas,
        List<OrderRow> orders,
        DeadLetters deadLetters) {

    /**
     * @param since              when the service last changed status (as far as this dashboard has watched)
     * @param handledPerSecond   events its consumers handled per second since the last refresh
     * @param publishedPerSecond events its outbox relay published per second since the last refresh
     * @param handledHistory     handled per second at the last refreshes, oldest first
     */
    public record ServiceView(
            String name,
            String url,
            String status,
            String detail,
            Instant since,
            double handledPerSecond,
            double publishedPerSecond,
            double outboxBacklog,
            double deadLettered,
            List<ServiceReading.GroupLag> lag,
            Map<String, String> breakers,
            List<Double> handledHistory) {}

    /** @param timeline the saga's steps as the read side has them; empty while the read side has none */
    public record OrderRow(
            String id,
            String status,
            String statusReason,
            String customerId,
            String total,
            String currency,
            Instant updatedAt,
            List<Step> timeline) {}

    public record Step(String type, String service, Instant at) {}

    /** @param error why the dead letters could not be read; empty when they could */
    public record DeadLetters(long pending, long replayed, long quarantined, List<Letter> letters, String error) {}

    public record Letter(
            String id,
            String status,
            String consumer,
            String eventType,
            String key,
            String reason,
            int replayCount,
            Instant writtenAt) {}
}
