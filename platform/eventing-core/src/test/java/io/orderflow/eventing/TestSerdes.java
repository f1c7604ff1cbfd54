package io.orderflow.eventing;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.Topic;
import java.time.Duration;

/** Serdes on the test stack's schema registry, auto-registering as local runs do. */
public final class TestSerdes {

    private static EventSerdes serdes;

    private TestSerdes() {}

    public static EventSerde of(Topic topic) {
        return all().of(topic);
    }

    public static synchronized EventSerdes all() {
        if (serdes == null) {
            serdes = new EventSerdes(
                    new SchemaRegistryClient(TestStack.get().schemaRegistryUrl(), Duration.ofSeconds(5)), true);
        }
        return serdes;
    }
}
