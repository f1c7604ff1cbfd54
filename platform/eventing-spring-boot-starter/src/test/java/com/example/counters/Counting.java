package com.example.counters;

import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.testevents.CounterIncremented;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A state change and its event, in one transaction: both are stored, or neither. */
@Service
public class Counting {

    private final JdbcClient jdbc;
    private final Outbox outbox;

    Counting(JdbcClient jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Transactional
    public Envelope increment(String counterId) {
        int value = jdbc.sql("""
                        INSERT INTO counters (counter_id, value) VALUES (?, 1)
                        ON CONFLICT (counter_id) DO UPDATE SET value = counters.value + 1
                        RETURNING value""").param(counterId).query(Integer.class).single();
        return outbox.appendFirst(
                CountersApplication.COUNTERS, counterId, new CounterIncremented(counterId, value, 0, false));
    }
}
