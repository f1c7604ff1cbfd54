package io.orderflow.eventing.spring.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.eventing.consumer.IncomingEvent;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.testevents.CounterIncremented;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

    @Test
    void aBatchIsAppliedInKeyOrderWithEachKeysEventsInTheirOwnOrder() {
        List<IncomingEvent<SpecificRecord>> batch = List.of(
                event("order-b", 1, 0),
                event("order-a", 1, 1),
                event("order-b", 2, 2),
                event("order-c", 1, 3),
                event("order-a", 2, 4),
                event("order-b", 3, 5));

        List<String> applied = BatchEventListener.inKeyOrder(batch).stream()
                .map(event -> event.key() + "#" + ((CounterIncremented) event.payload()).getSequence())
                .toList();

        assertThat(applied)
                .containsExactly("order-a#1", "order-a#2", "order-b#1", "order-b#2", "order-b#3", "order-c#1");
    }

    private static IncomingEvent<SpecificRecord> event(String key, int sequence, long offset) {
        return new IncomingEvent<>(
                Envelope.first("CounterIncremented", key, "test", Instant.now()),
                key,
                new CounterIncremented(key, sequence, 0, false),
                "test.counters",
                0,
                offset);
    }
}
