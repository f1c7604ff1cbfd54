package io.orderflow.view.query;

import io.orderflow.view.topology.WindowSettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Reads the windowed views of one instance; several instances' answers are merged by the caller. */
public final class WindowQueries {

    public static final Comparator<ProductUnits> MOST_UNITS_FIRST =
            Comparator.comparingLong(ProductUnits::units).reversed().thenComparing(ProductUnits::productId);

    private WindowQueries() {}

    /** Every currency's revenue per minute, for the minutes that start in [from, to). */
    public static List<RevenueMinute> revenue(ReadOnlyWindowStore<String, BigDecimal> store, Instant from, Instant to) {
        List<RevenueMinute> minutes = new ArrayList<>();
        // fetchAll's bounds are inclusive window starts.
        try (KeyValueIterator<Windowed<String>, BigDecimal> windows = store.fetchAll(from, to.minusMillis(1))) {
            windows.forEachRemaining(window ->
                    minutes.add(new RevenueMinute(window.key.window().startTime(), window.key.key(), window.value)));
        }
        minutes.sort(Comparator.comparing(RevenueMinute::minute).thenComparing(RevenueMinute::currency));
        return minutes;
    }

    /**
     * The products with the most units ordered in the hour before {@code now}: the one-hour window containing
     * {@code now} that started earliest, so it covers the last hour but for up to one advance (five minutes) at its
     * start.
     */
    public static List<ProductUnits> topProducts(ReadOnlyWindowStore<String, Long> store, Instant now, int limit) {
        Instant windowStart = lastHourWindowStart(now);
        List<ProductUnits> products = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Long> windows = store.fetchAll(windowStart, windowStart)) {
            windows.forEachRemaining(window -> products.add(new ProductUnits(window.key.key(), window.value)));
        }
        products.sort(MOST_UNITS_FIRST);
        return products.size() > limit ? List.copyOf(products.subList(0, limit)) : products;
    }

    static Instant lastHourWindowStart(Instant now) {
        long advance = WindowSettings.TOP_PRODUCTS_ADVANCE.toMillis();
        long earliestCovering = now.toEpochMilli() - WindowSettings.TOP_PRODUCTS_WINDOW.toMillis() + 1;
        long start = Math.floorDiv(earliestCovering + advance - 1, advance) * advance;
        return Instant.ofEpochMilli(Math.max(0, start));
    }
}
