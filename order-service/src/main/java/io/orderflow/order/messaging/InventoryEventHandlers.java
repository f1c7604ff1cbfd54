package io.orderflow.order.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.contracts.inventory.ShortLine;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.order.application.OrderService;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** order-service's subscription to inventory's events. */
@Configuration(proxyBeanMethods = false)
class InventoryEventHandlers {

    static final String CONSUMER = "order-service";

    @Bean
    EventConsumer inventoryEvents(OrderService orders) {
        return EventConsumer.of(CONSUMER, Topics.INVENTORY)
                .on(StockReserved.class, event -> orders.stockReserved(orderId(event.payload().getOrderId())))
                .on(StockRejected.class, event -> orders.stockRejected(orderId(event.payload().getOrderId()),
                        describe(event.payload())))
                .on(ProductListed.class, event -> orders.productListed(event.payload().getProductId(),
                        event.payload().getName(), event.payload().getListedAt()))
                .build();
    }

    private static UUID orderId(String value) {
        return UUID.fromString(value);
    }

    static String describe(StockRejected rejected) {
        String lines = rejected.getShortLines().stream()
                .map(InventoryEventHandlers::describe)
                .collect(Collectors.joining(", "));
        return rejected.getReason() + (lines.isEmpty() ? "" : ": " + lines);
    }

    private static String describe(ShortLine line) {
        return line.getProductId() + " (requested " + line.getRequested() + ", available " + line.getAvailable() + ")";
    }
}
