package com.example.counters;

import static io.orderflow.devstack.RawKafka.header;
import static io.orderflow.devstack.RawKafka.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example service of docs/eventing.md, on the starter alone, against a real broker, PostgreSQL and registry: what
 * it writes to the outbox reaches Kafka with its envelope, and comes back through the inbox exactly once, even when
 * Kafka delivers it twice.
 */
@SpringBootTest(classes = CountersApplication.class, properties = "spring.config.name=counters")
class StarterEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static RawKafka records;

    @Autowired
    Counting counting;

    @Autowired
    JdbcClient jdbc;

    /** Only where the infrastructure is: what the service's YAML holds in production as DATABASE_URL and the like. */
    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void connect() {
        records = new RawKafka(TestStack.get().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        records.close();
    }

    @Test
    void anEventWrittenToTheOutboxIsPublishedAndHandledOnceEvenWhenDeliveredTwice() {
        String counter = RawKafka.uniqueKey("counter");

        Envelope first = counting.increment(counter);

        await().atMost(WAIT).until(() -> seen(counter).size() == 1);
        List<ConsumerRecord<String, byte[]>> published =
                records.readAll(CountersApplication.COUNTERS.name(), keyed(counter));
        assertThat(published).hasSize(1);
        ConsumerRecord<String, byte[]> record = published.get(0);
        assertThat(header(record, EventHeaders.EVENT_ID))
                .isEqualTo(first.eventId().toString());
        assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo("CounterIncremented");
        assertThat(header(record, EventHeaders.PRODUCER)).isEqualTo("counters");

        records.send(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()));
        Envelope second = counting.increment(counter);
        await().atMost(WAIT).until(() -> seen(counter).size() >= 2);

        assertThat(seen(counter))
                .as("the redelivered first event is not applied again")
                .containsExactly(first.eventId(), second.eventId());
        assertThat(jdbc.sql("SELECT count(*) FROM processed_events WHERE consumer = ? AND event_id IN (?, ?)")
                        .params("counters-seen", first.eventId(), second.eventId())
                        .query(Long.class)
                        .single())
                .as("the inbox holds both events")
                .isEqualTo(2);
    }

    /** The events the handler applied for a counter, in the order it applied them. */
    private List<UUID> seen(String counter) {
        return jdbc.sql("SELECT event_id FROM seen WHERE counter_id = ? ORDER BY sequence")
                .param(counter)
                .query(UUID.class)
                .list();
    }
}
