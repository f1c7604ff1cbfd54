package io.orderflow.view.topology;

import java.time.Duration;

/**
 * The time windows of the view.
 *
 * @param grace            how late an event may arrive and still count in its window
 * @param revenueRetention how far back revenue per minute can be queried
 */
public record WindowSettings(Duration grace, Duration revenueRetention) {

    public static final Duration REVENUE_WINDOW = Duration.ofMinutes(1);
    public static final Duration TOP_PRODUCTS_WINDOW = Duration.ofHours(1);
    public static final Duration TOP_PRODUCTS_ADVANCE = Duration.ofMinutes(1);

    public WindowSettings {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        if (revenueRetention.compareTo(REVENUE_WINDOW.plus(grace)) < 0) {
            throw new IllegalArgumentException("revenue retention must cover at least one window and its grace");
        }
    }

    public static WindowSettings defaults() {
        return new WindowSettings(Duration.ofMinutes(1), Duration.ofDays(7));
    }
}
