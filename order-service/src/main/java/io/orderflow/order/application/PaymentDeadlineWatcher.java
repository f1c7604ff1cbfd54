package io.orderflow.order.application;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Looks for due payment deadlines; the deadlines live in the database, so a restart loses none. */
@Component
class PaymentDeadlineWatcher {

    private static final Logger log = LoggerFactory.getLogger(PaymentDeadlineWatcher.class);
    private static final int BATCH = 100;

    private final OrderService orders;

    PaymentDeadlineWatcher(OrderService orders) {
        this.orders = orders;
    }

    @Scheduled(fixedDelayString = "${orderflow.order.deadline-poll-interval:500ms}")
    void expireDueDeadlines() {
        try {
            while (orders.expireDueDeadlines(BATCH) == BATCH) {
                log.debug("A full batch of deadlines was due; looking for more");
            }
        } catch (RuntimeException e) {
            // The deadlines stay in the table: the next round handles them.
            log.warn("Expiring payment deadlines failed; retrying in the next round: {}", e.toString());
        }
    }
}
