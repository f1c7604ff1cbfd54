package io.orderflow.payment.application;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Looks for due refunds; they are rows in PostgreSQL, so a restart loses none. */
@Component
class RefundWorker {

    private static final Logger log = LoggerFactory.getLogger(RefundWorker.class);
    private static final int BATCH = 20;

    private final RefundService refunds;

    RefundWorker(RefundService refunds) {
        this.refunds = refunds;
    }

    @Scheduled(fixedDelayString = "${payment.refunds.poll-interval:200ms}")
    void refundDue() {
        try {
            while (refunds.refundDue(BATCH) == BATCH) {
                log.debug("A full batch of refunds was due; looking for more");
            }
        } catch (RuntimeException e) {
            log.warn("Refunding failed; the refunds stay pending for the next round: {}", e.toString());
        }
    }
}
