package io.orderflow.eventing.consumer;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Applies several events of one type at once, inside the consumer's database transaction, so that their state
 * changes can go to the database in one batch. The runtime passes consecutive events of the same type in their
 * partition order; events of other types in between are never moved across.
 */
@FunctionalInterface
public interface BatchEventHandler<T extends SpecificRecord> {
    void handleAll(List<IncomingEvent<T>> events);
}
