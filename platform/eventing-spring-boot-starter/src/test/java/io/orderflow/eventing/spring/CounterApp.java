package io.orderflow.eventing.spring;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.testevents.CounterReset;
import io.orderflow.eventing.topic.Topic;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A minimal service on the eventing library: it applies counter events and echoes them through its outbox. */
@SpringBootApplication
public class CounterApp {

    private static final Logger log = LoggerFactory.getLogger(CounterApp.class);

    public static final Topic COUNTERS = Topic.of("test.counters", CounterIncremented.class, CounterReset.class);
    public static final Topic ECHOES = Topic.of("test.echoes", CounterIncremented.class);

    @Bean
    Topic echoes() {
        return ECHOES;
    }

    @Bean
    Failures failures() {
        return new Failures();
    }

    @Bean
    EventConsumer counters(JdbcClient jdbc, Outbox outbox, Failures failures) {
        return EventConsumer.of("counter-app", COUNTERS)
                .beforeEachBatch(
                        events -> jdbc.sql("INSERT INTO batch_starts (tx_id, events) " + "VALUES (txid_current(), ?)")
                                .param(events.size())
                                .update())
                .on(CounterIncremented.class, event -> {
                    failures.maybeFail(event);
                    jdbc.sql("INSERT INTO applied (counter_id, sequence, event_id, tx_id) "
                                    + "VALUES (?, ?, ?, txid_current())")
                            .params(
                                    event.payload().getCounterId(),
                                    event.payload().getSequence(),
                                    event.envelope().eventId())
                            .update();
                    log.info(
                            "Applied counter {} #{}",
                            event.payload().getCounterId(),
                            event.payload().getSequence());
                    outbox.appendCausedBy(event.envelope(), ECHOES, event.key(), event.payload());
                })
                .build();
    }

    /** Makes the handler fail as often as an event asks, counting attempts per event. */
    public static final class Failures {
        private final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
        private final Set<UUID> fixed = ConcurrentHashMap.newKeySet();

        void maybeFail(IncomingEvent<CounterIncremented> event) {
            int attempt = attempts.computeIfAbsent(event.envelope().eventId(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (attempt <= event.payload().getFailTimes()
                    && !fixed.contains(event.envelope().eventId())) {
                String message =
                        "injected failure " + attempt + " of " + event.payload().getFailTimes();
                if (event.payload().getInfrastructureFailure()) {
                    throw new DataAccessResourceFailureException(message);
                }
                throw new IllegalStateException(message);
            }
        }

        /** As if a fix for what made the event fail had been deployed: it no longer fails. */
        public void fix(UUID eventId) {
            fixed.add(eventId);
        }

        public int attemptsOf(UUID eventId) {
            AtomicInteger count = attempts.get(eventId);
            return count == null ? 0 : count.get();
        }
    }
}
