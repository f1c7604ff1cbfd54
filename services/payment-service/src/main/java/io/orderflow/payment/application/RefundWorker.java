package io.orderflow.payment.application;

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
 * Looks for due refunds; they are rows in PostgreSQL, so a restart loses none. Each is made in a transaction of its
 * own: one that fails in a way its transaction cannot record is recorded as a failed attempt in another, and the
 * others go on.
 */
@Component
class RefundWorker {

    private static final Logger log = LoggerFactory.getLogger(RefundWorker.class);
    private static final int BATCH = 20;

    private final RefundService refunds;
    private final AtomicLong failing = new AtomicLong();

    RefundWorker(RefundService refunds, MeterRegistry meters) {
        this.refunds = refunds;
        Gauge.builder("orderflow.payment.refunds.failing", failing, AtomicLong::get)
                .description("Refunds and lost-charge checks whose last attempt failed, retried later "
                        + "(refunds.last_error)")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${payment.refunds.poll-interval:200ms}")
    void refundDue() {
        try {
            boolean anyDue = false;
            List<UUID> due;
            int moved;
            do {
                due = refunds.due(BATCH);
                anyDue |= !due.isEmpty();
                moved = 0;
                for (UUID orderId : due) {
                    if (refund(orderId)) {
                        moved++;
                    }
                }
            } while (due.size() == BATCH && moved > 0);
            if (anyDue || failing.get() > 0) {
                failing.set(refunds.failing());
            }
        } catch (RuntimeException e) {
            log.warn("Looking for due refunds failed; the refunds stay pending for the next round: {}", e.toString());
        }
    }

    /** @return whether the refund's row was moved on (made, retried later, given up), so that the round goes on */
    private boolean refund(UUID orderId) {
        try {
            return refunds.refund(orderId);
        } catch (RuntimeException e) {
            log.error(
                    "Refund of order {} failed and could not be recorded with it; recording it as a failed attempt, "
                            + "the other refunds go on",
                    orderId,
                    e);
            try {
                return refunds.failed(orderId, ErrorText.of(e.toString()));
            } catch (RuntimeException recording) {
                log.error(
                        "Recording the failed refund of order {} failed too; it is tried again next round: {}",
                        orderId,
                        recording.toString());
                return false;
            }
        }
    }
}
