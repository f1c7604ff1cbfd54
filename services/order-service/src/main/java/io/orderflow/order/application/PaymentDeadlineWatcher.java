package io.orderflow.order.application;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.eventing.support.ErrorText;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks for due payment deadlines; the deadlines live in the database, so a restart loses none. Each is expired in a
 * transaction of its own: one that keeps failing is set aside with its error and tried again later, and the others
 * go on.
 */
@Component
class PaymentDeadlineWatcher {

    private static final Logger log = LoggerFactory.getLogger(PaymentDeadlineWatcher.class);
    private static final int BATCH = 100;

    private final OrderService orders;
    private final AtomicLong failing = new AtomicLong();

    PaymentDeadlineWatcher(OrderService orders, MeterRegistry meters) {
        this.orders = orders;
        Gauge.builder("orderflow.order.deadlines.failing", failing, AtomicLong::get)
                .description(
                        "Payment deadlines whose expiry failed and is retried later (payment_deadlines.last_error)")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${orderflow.order.deadline-poll-interval:500ms}")
    void expireDueDeadlines() {
        try {
            boolean failed = false;
            List<UUID> due;
            int handled;
            do {
                due = orders.dueDeadlines(BATCH);
                handled = 0;
                for (UUID orderId : due) {
                    try {
                        if (orders.expireDeadline(orderId)) {
                            handled++;
                        }
                    } catch (RuntimeException e) {
                        failed = true;
                        handled++;
                        log.error(
                                "Expiring the payment deadline of order {} failed; it is tried again later, and "
                                        + "the other deadlines go on: {}",
                                orderId,
                                e.toString());
                        orders.deadlineFailed(orderId, ErrorText.of(e.toString()));
                    }
                }
            } while (due.size() == BATCH && handled > 0);
            if (failed || failing.get() > 0) {
                failing.set(orders.failingDeadlines());
            }
        } catch (RuntimeException e) {
            // The deadlines stay in the table: the next round handles them.
            log.warn("Looking for due payment deadlines failed; retrying in the next round: {}", e.toString());
        }
    }
}
