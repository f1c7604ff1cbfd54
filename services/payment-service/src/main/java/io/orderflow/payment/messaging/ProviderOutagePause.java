package io.orderflow.payment.messaging;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * While the provider's circuit is open the consumer stops fetching, so no record is fetched only to fail and no
 * retry is spent; when the breaker lets a probe through (half-open) it fetches again, and the next record is the
 * probe. An instance that runs no consumers ({@code orderflow.eventing.consumer.enabled=false}) has none to pause.
 */
@Component
class ProviderOutagePause {

    private static final Logger log = LoggerFactory.getLogger(ProviderOutagePause.class);

    ProviderOutagePause(CircuitBreaker paymentProviderBreaker, ObjectProvider<EventConsumerContainers> consumers) {
        paymentProviderBreaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN, FORCED_OPEN -> {
                    log.warn(
                            "Payment provider circuit {}: pausing {}",
                            event.getStateTransition(),
                            InventoryEventConsumerConfiguration.CONSUMER);
                    consumers.ifAvailable(containers -> containers.pause(InventoryEventConsumerConfiguration.CONSUMER));
                }
                case HALF_OPEN, CLOSED -> {
                    log.info(
                            "Payment provider circuit {}: resuming {}",
                            event.getStateTransition(),
                            InventoryEventConsumerConfiguration.CONSUMER);
                    consumers.ifAvailable(
                            containers -> containers.resume(InventoryEventConsumerConfiguration.CONSUMER));
                }
                default -> {
                    // DISABLED, METRICS_ONLY: not configured here
                }
            }
        });
    }
}
