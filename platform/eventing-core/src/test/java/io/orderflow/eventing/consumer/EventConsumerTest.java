package io.orderflow.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.testevents.CounterReset;
import io.orderflow.eventing.topic.Topic;
import org.junit.jupiter.api.Test;

class EventConsumerTest {

    private final Topic increments = Topic.of("increments", CounterIncremented.class);
    private final Topic resets = Topic.of("resets", CounterReset.class);

    @Test
    void aTopicIsRecordedUnderItsFormerSubscriptionsNameAndOthersUnderTheConsumers() {
        EventConsumer consumer = EventConsumer.of("counters", increments, resets)
                .formerly(resets, "counters-resets")
                .on(CounterIncremented.class, event -> {})
                .on(CounterReset.class, event -> {})
                .build();

        assertThat(consumer.topics()).containsExactly(increments, resets);
        assertThat(consumer.recordedAs("increments")).isEqualTo("counters");
        assertThat(consumer.recordedAs("resets")).isEqualTo("counters-resets");
        assertThat(consumer.formerGroup("increments")).isEmpty();
        assertThat(consumer.formerGroup("resets")).contains("counters-resets");
    }

    @Test
    void formerNamesThatCannotBeRightAreRefused() {
        EventConsumer.Builder builder = EventConsumer.of("counters", increments);

        assertThatThrownBy(() -> builder.formerly(resets, "old")).hasMessage("counters does not read resets");
        assertThatThrownBy(() -> builder.formerly(increments, "counters"))
                .hasMessage("increments was not read under another name than counters");
        builder.formerly(increments, "old");
        assertThatThrownBy(() -> builder.formerly(increments, "older")).hasMessage("two former names for increments");
    }

    @Test
    void everyTopicNeedsAHandledTypeAndEveryHandledTypeATopic() {
        assertThatThrownBy(() -> EventConsumer.of("counters", increments, resets)
                        .on(CounterIncremented.class, event -> {})
                        .build())
                .hasMessage("counters handles no event of resets");
        assertThatThrownBy(() -> EventConsumer.of("counters", increments).on(CounterReset.class, event -> {}))
                .hasMessage("CounterReset does not travel on [increments]");
        assertThatThrownBy(() -> EventConsumer.of("counters", increments, Topic.of("increments", CounterReset.class)))
                .hasMessage("counters names increments twice");
    }
}
