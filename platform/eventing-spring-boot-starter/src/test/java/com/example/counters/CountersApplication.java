package com.example.counters;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.topic.Topic;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Another team's service on the starter alone, as docs/eventing.md shows it ("Use it in your own service"): it
 * writes counter increments through the outbox ({@link Counting}) and reads them back into a table of its own.
 */
@SpringBootApplication
public class CountersApplication {

    /** The topic and the event types on it: the one constant writers and readers share. */
    public static final Topic COUNTERS = Topic.of("example.counters", CounterIncremented.class);

    /** A topic this service writes: created at start, its schemas registered. */
    @Bean
    Topic counters() {
        return COUNTERS;
    }

    /** A topic this service reads: each event once, in the same transaction as what the handler writes. */
    @Bean
    EventConsumer increments(JdbcClient jdbc) {
        return EventConsumer.of("counters-seen", COUNTERS)
                .on(
                        CounterIncremented.class,
                        event -> jdbc.sql("INSERT INTO seen (counter_id, sequence, event_id) VALUES (?, ?, ?)")
                                .params(
                                        event.key(),
                                        event.payload().getSequence(),
                                        event.envelope().eventId())
                                .update())
                .build();
    }

    public static void main(String[] args) {
        SpringApplication.run(CountersApplication.class, "--spring.config.name=counters");
    }
}
