package io.orderflow.order.persistence;

import io.orderflow.order.domain.OrderEvent;
import io.orderflow.order.domain.OrderState;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Order events and snapshots as stored JSON. The stored type name is the event's simple name, never its Java package,
 * so that moving a class does not orphan its history. The mapper is this store's own, so that the web API's JSON
 * settings can never change what is on disk.
 */
final class OrderEventCodec {

    private static final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<?>> TYPES = Arrays.stream(OrderEvent.class.getPermittedSubclasses())
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private OrderEventCodec() {}

    static String typeOf(OrderEvent event) {
        return event.getClass().getSimpleName();
    }

    static String encode(Object eventOrState) {
        return json.writeValueAsString(eventOrState);
    }

    static OrderEvent decode(String type, String payload) {
        Class<?> target = TYPES.get(type);
        if (target == null) {
            throw new IllegalStateException("the event store holds an order event of unknown type '" + type + "'");
        }
        return (OrderEvent) json.readValue(payload, target);
    }

    static OrderState decodeState(String state) {
        return json.readValue(state, OrderState.class);
    }
}
