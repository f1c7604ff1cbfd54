package io.orderflow.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.inbox.InboxRetention;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Where a consumer goes on from is kept with what it applied, not left to the broker's offset retention alone. */
class ConsumerPositionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration INBOX_RETENTION = Duration.ofDays(35);

    @Test
    void aGroupWhoseOffsetsAreLostDoesNotApplyHistoryAgain() throws Exception {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest();
             Admin admin = Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()))) {
            // Given events applied long enough ago that the inbox has forgotten them
            consumer.records.sendAll(List.of(consumer.increment(0, 1), consumer.increment(0, 2),
                    consumer.increment(1, 3)));
            consumer.start();
            await().atMost(WAIT).until(() -> consumer.applied().size() == 3);
            consumer.stop();
            Clock fiveWeeksLater = Clock.offset(Clock.systemUTC(), INBOX_RETENTION.plusDays(1));
            new InboxRetention(consumer.dataSource, INBOX_RETENTION, 100, fiveWeeksLater, consumer.meters).purge();

            // When the group's committed offsets expire (or are deleted) and the consumer starts again
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    admin.deleteConsumerGroups(List.of(consumer.name)).all().get());
            consumer.records.sendAll(List.of(consumer.increment(0, 4), consumer.increment(1, 5)));
            consumer.start();

            // Then it goes on where it was: only the new events are applied
            await().atMost(WAIT).until(() -> consumer.applied().containsAll(List.of(4, 5)));
            assertThat(consumer.applied()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void recordsBehindTheStoredPositionAreNotAppliedAgainWhereverTheConsumerWasLeft() {
        try (ConsumerUnderTest consumer = new ConsumerUnderTest()) {
            // Given a consumer that applied partition 0 up to offset 1, so long ago that the inbox forgot it
            consumer.jdbc.sql("INSERT INTO consumer_positions (consumer, topic, partition, next_offset) "
                    + "VALUES (?, ?, 0, 2)").params(consumer.name, consumer.topic.name()).update();

            // When a batch from offset 0 reaches it all the same (it could not be moved on assignment: the
            // database was down then)
            consumer.listener().onMessage(List.of(at(consumer.increment(0, 1), 0),
                    at(consumer.increment(0, 2), 1), at(consumer.increment(0, 3), 2)));

            // Then only what is at its position or after is applied, and the position moves past it
            assertThat(consumer.applied()).containsExactly(3);
            assertThat(consumer.jdbc.sql("SELECT next_offset FROM consumer_positions WHERE consumer = ?")
                    .param(consumer.name).query(Long.class).single()).isEqualTo(3);
        }
    }

    private static ConsumerRecord<String, byte[]> at(ProducerRecord<String, byte[]> sent, long offset) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(sent.topic(), sent.partition(), offset,
                sent.key(), sent.value());
        sent.headers().forEach(header -> record.headers().add(header));
        return record;
    }
}
