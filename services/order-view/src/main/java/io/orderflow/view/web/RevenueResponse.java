package io.orderflow.view.web;

import io.orderflow.view.query.RevenueMinute;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Revenue per minute and currency in [from, to), and its totals per currency. */
record RevenueResponse(Instant from, Instant to, Map<String, BigDecimal> totals, List<RevenueMinute> minutes) {

    static RevenueResponse of(Instant from, Instant to, List<RevenueMinute> minutes) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        minutes.forEach(minute -> totals.merge(minute.currency(), minute.amount(), BigDecimal::add));
        List<RevenueMinute> sorted = minutes.stream()
                .sorted(Comparator.comparing(RevenueMinute::minute).thenComparing(RevenueMinute::currency))
                .toList();
        return new RevenueResponse(from, to, totals, sorted);
    }
}
