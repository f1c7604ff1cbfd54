package io.orderflow.view.topology;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.view.domain.OrderSummary;
import io.orderflow.view.domain.OrderView;
import io.orderflow.view.domain.RevenueChange;
import io.orderflow.view.domain.UnitsOrdered;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each order's facts into its view, and passes on what the other views need: the order's new line in its
 * customer's history, revenue taken or given back, units ordered. The view is where duplicates stop: a fact it has
 * seen changes nothing and passes nothing on, so the aggregates after it count each event once even though events
 * are published at least once. A record that cannot be read or applied goes to its topic's dead-letter topic.
 */
final class OrderViewProcessor implements Processor<String, byte[], String, Object> {

    private final EventDecoder decoder;
    private final OrderViewListener listener;
    private final String applicationId;
    private final Clock clock;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, OrderView> views;

    OrderViewProcessor(EventDecoder decoder, OrderViewListener listener, String applicationId, Clock clock) {
        this.decoder = decoder;
        this.listener = listener;
        this.applicationId = applicationId;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.views = context.getStateStore(OrderViewTopology.ORDER_VIEWS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Optional<EventDecoder.Decoded> decoded;
        try {
            // Inside: a replay header without a value is this record's fault, and dead-letters it alone.
            if (DeadLetterHeaders.replayedForAnother(record.headers(), applicationId)) {
                return;
            }
            decoded = decoder.decode(source.topic(), record);
        } catch (PoisonRecordException e) {
            context.forward(DeadLetterRecords.of(record, source, e, applicationId, clock.instant()));
            return;
        }
        if (decoded.isEmpty()) {
            return;
        }
        try {
            apply(record, decoded.get());
        } catch (KafkaException | SchemaRegistryUnavailableException e) {
            // The infrastructure, not the record: fail the task, which retries from the last commit.
            throw e;
        } catch (RuntimeException e) {
            context.forward(DeadLetterRecords.of(record, source, e, applicationId, clock.instant()));
        }
    }

    private void apply(Record<String, byte[]> record, EventDecoder.Decoded fact) {
        OrderView before =
                Optional.ofNullable(views.get(fact.orderId())).orElseGet(() -> OrderView.empty(fact.orderId()));
        Optional<OrderView.Applied> applied = before.apply(fact.meta(), fact.fact());
        if (applied.isEmpty()) {
            return;
        }
        OrderView after = applied.get().view();
        views.put(after.orderId(), after);
        Optional<OrderSummary> previous = before.summary();
        Optional<OrderSummary> current = after.summary();
        if (current.isPresent() && !current.equals(previous)) {
            forward(
                    record,
                    new CustomerChange(after.customerId(), previous.orElse(null), current.get()),
                    record.timestamp());
        }
        for (RevenueChange change : applied.get().revenue()) {
            forward(record, change, change.at().toEpochMilli());
        }
        for (UnitsOrdered units : applied.get().unitsOrdered()) {
            forward(record, units, units.at().toEpochMilli());
        }
        listener.changed(after);
    }

    /** Derived records carry the time the fact happened, so the windows count them where they belong. */
    private void forward(Record<String, byte[]> cause, Object value, long eventTime) {
        context.forward(new Record<String, Object>(cause.key(), value, eventTime, cause.headers()));
    }
}
