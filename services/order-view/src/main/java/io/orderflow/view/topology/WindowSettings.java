package io.orderflow.view.topology;

import java.time.Duration;

/**
 * The time windows of the view. A window takes events up to its grace after it ends, in the event time of the
 * newest record its task has seen; a later event is dropped.
 *
 * <p>Revenue must be exact for as long as it can be queried, and the newest record a task has seen can be far
 * ahead of one another partition delivers: a lagging instance, or a rebuild, where each task reads its partitions'
 * history at its own pace. So revenue's grace is, by default, its whole retention. Top products ask only for the
 * window that contains now, which stays open to every event in it whatever the grace: a short grace keeps fewer
 * hourly windows.
 *
 * @param revenueGrace      how late a payment or refund may arrive and still count in its minute
 * @param revenueRetention  how far back revenue per minute can be queried
 * @param topProductsGrace  how late an order may arrive and still count in its hourly windows
 */
public record WindowSettings(Duration revenueGrace, Duration revenueRetention, Duration topProductsGrace) {

    public static final Duration REVENUE_WINDOW = Duration.ofMinutes(1);
    public static final Duration TOP_PRODUCTS_WINDOW = Duration.ofHours(1);
    /**
     * Every ordered line updates each hourly window it falls in: one per advance. Five minutes keeps that at twelve
     * (a one-minute advance made it sixty, and the windows took over a quarter of the view's CPU), and the hour asked
     * for still covers at least its last 55 minutes.
     */
    public static final Duration TOP_PRODUCTS_ADVANCE = Duration.ofMinutes(5);

    public WindowSettings {
        if (revenueGrace.isNegative() || topProductsGrace.isNegative()) {
            throw new IllegalArgumentException("a grace must not be negative");
        }
        if (revenueRetention.compareTo(REVENUE_WINDOW.plus(revenueGrace)) < 0) {
            throw new IllegalArgumentException("revenue retention (" + revenueRetention
                    + ") must cover a window and its grace (" + REVENUE_WINDOW.plus(revenueGrace) + ")");
        }
    }

    public static WindowSettings defaults() {
        return new WindowSettings(Duration.ofDays(7), Duration.ofDays(7).plus(REVENUE_WINDOW), Duration.ofMinutes(5));
    }
}
