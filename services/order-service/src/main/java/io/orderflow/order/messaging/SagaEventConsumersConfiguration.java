package io.orderflow.order.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.contracts.inventory.ShortLine;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.order.application.OrderService;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * order-service's subscription to the other services' events: each is a fact its orders record. One subscription
 * reads the three topics, so an order's answers from inventory, payments and shipping are applied by one thread, in
 * one transaction per poll, instead of three subscriptions racing each other for the same order rows.
 */
@Configuration(proxyBeanMethods = false)
class SagaEventConsumersConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SagaEventConsumersConfiguration.class);

    static final String CONSUMER = "order-service";
    /** The subscriptions payments and shipments had until they joined this one: their events stay recorded so. */
    static final String FORMERLY_PAYMENTS = "order-service-payments";

    static final String FORMERLY_SHIPMENTS = "order-service-shipments";

    @Bean
    EventConsumer sagaEvents(OrderService orders) {
        return EventConsumer.of(CONSUMER, Topics.INVENTORY, Topics.PAYMENTS, Topics.SHIPMENTS)
                .formerly(Topics.PAYMENTS, FORMERLY_PAYMENTS)
                .formerly(Topics.SHIPMENTS, FORMERLY_SHIPMENTS)
                .on(
                        StockReserved.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.stockReserved(at),
                                event.envelope()))
                .on(
                        StockRejected.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.stockRejected(describe(event.payload()), at),
                                event.envelope()))
                .on(
                        StockReleased.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.stockReleased(at),
                                event.envelope()))
                .on(
                        ProductListed.class,
                        event -> orders.productListed(
                                event.payload().getProductId(),
                                event.payload().getName(),
                                event.payload().getListedAt(),
                                prices(event.payload())))
                .on(
                        PaymentAuthorized.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) ->
                                        order.paymentAuthorized(event.payload().getChargeId(), at),
                                event.envelope()))
                .on(
                        PaymentDeclined.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) ->
                                        order.paymentDeclined(event.payload().getReason(), at),
                                event.envelope()))
                .on(
                        PaymentVoided.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.paymentVoided(at),
                                event.envelope()))
                .on(
                        PaymentRefunded.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) ->
                                        order.paymentRefunded(event.payload().getRefundId(), at),
                                event.envelope()))
                .on(
                        PaymentRefundFailed.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.compensationFailed(
                                        "refund of charge " + event.payload().getChargeId()
                                                + " failed after "
                                                + event.payload().getAttempts() + " attempts: "
                                                + event.payload().getReason(),
                                        at),
                                event.envelope()))
                .on(
                        ShipmentScheduled.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) -> order.shipmentScheduled(
                                        event.payload().getCarrier(),
                                        event.payload().getTrackingNumber(),
                                        at),
                                event.envelope()))
                .on(
                        ShipmentCancelled.class,
                        event -> orders.record(
                                orderId(event.payload().getOrderId()),
                                (order, at) ->
                                        order.shipmentCancelled(event.payload().getTrackingNumber(), at),
                                event.envelope()))
                .build();
    }

    /**
     * The listing's usable prices: an ISO-shaped currency and a positive amount. A bad entry is dropped (and logged)
     * rather than the whole listing dead-lettered, which would leave the previous prices on sale.
     */
    static Map<String, BigDecimal> prices(ProductListed listing) {
        Map<String, BigDecimal> prices = new TreeMap<>();
        listing.getPrices().forEach(price -> {
            if (price.getCurrency().matches("[A-Z]{3}") && price.getAmount().signum() > 0) {
                prices.put(price.getCurrency(), price.getAmount());
            } else {
                log.warn(
                        "Product {}: price {} {} dropped from its listing: not a currency code and a positive amount",
                        listing.getProductId(),
                        price.getCurrency(),
                        price.getAmount());
            }
        });
        return prices;
    }

    private static UUID orderId(String value) {
        return UUID.fromString(value);
    }

    static String describe(StockRejected rejected) {
        String lines = rejected.getShortLines().stream()
                .map(SagaEventConsumersConfiguration::describe)
                .collect(Collectors.joining(", "));
        return rejected.getReason() + (lines.isEmpty() ? "" : ": " + lines);
    }

    private static String describe(ShortLine line) {
        return line.getProductId() + " (requested " + line.getRequested() + ", available " + line.getAvailable() + ")";
    }
}
