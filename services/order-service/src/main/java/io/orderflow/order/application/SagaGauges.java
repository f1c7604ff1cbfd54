package io.orderflow.order.application;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.orderflow.order.domain.OrderStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where the sagas stand: {@code orderflow.saga.orders} per status (every status, zero included, so that an alarm on
 * COMPENSATION_FAILED has a series to watch), and {@code orderflow.saga.oldest.open.seconds}, how long the order
 * that has waited longest in a status that is not final has waited: a saga that stopped moving shows there first.
 * Counted at an interval, not per scrape, as the count reads the whole summary table.
 */
@Component
class SagaGauges {

    private static final Logger log = LoggerFactory.getLogger(SagaGauges.class);

    private final OrderStore orders;
    private final Clock clock;
    private final MultiGauge byStatus;
    private final AtomicLong oldestOpenMillis = new AtomicLong();

    SagaGauges(OrderStore orders, Clock clock, MeterRegistry meters) {
        this.orders = orders;
        this.clock = clock;
        this.byStatus = MultiGauge.builder("orderflow.saga.orders")
                .description("orders per saga status")
                .register(meters);
        Gauge.builder("orderflow.saga.oldest.open.seconds", oldestOpenMillis, millis -> millis.get() / 1000.0)
                .description("time since the last change of the longest-waiting order that is not final")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${orderflow.order.saga-gauges-interval:10s}")
    @Transactional(readOnly = true)
    public void count() {
        try {
            SagaCensus census = orders.census();
            byStatus.register(
                    Arrays.stream(OrderStatus.values())
                            .map(status -> MultiGauge.Row.of(Tags.of("status", status.name()), census.count(status)))
                            .toList(),
                    true);
            oldestOpenMillis.set(census.oldestOpenSince()
                    .map(since ->
                            Math.max(0, Duration.between(since, clock.instant()).toMillis()))
                    .orElse(0L));
        } catch (RuntimeException e) {
            log.warn("Counting orders per saga status failed; the gauges keep their last values: {}", e.toString());
        }
    }
}
