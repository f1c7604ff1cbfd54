package io.orderflow.view.topology;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.view.domain.CustomerOrders;
import io.orderflow.view.domain.OrderView;
import io.orderflow.view.domain.RevenueChange;
import io.orderflow.view.domain.UnitsOrdered;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The read side: every context's events in, four queryable views out.
 * <ul>
 *   <li>{@value #ORDER_VIEWS}: each order, by order id;</li>
 *   <li>{@value #CUSTOMER_ORDERS}: each customer's orders and lifetime value, by customer id;</li>
 *   <li>{@value #REVENUE}: money taken minus money refunded, per currency and minute of event time;</li>
 *   <li>{@value #PRODUCT_UNITS}: units ordered per product, in one-hour windows that advance every five minutes.</li>
 * </ul>
 * Every change goes through the order view first, which drops facts it has seen, so nothing downstream counts an
 * event twice; with {@code exactly_once_v2} the stores, their changelogs and the input offsets commit together.
 */
public final class OrderViewTopology {

    public static final String ORDER_VIEWS = "order-views";
    public static final String CUSTOMER_ORDERS = "customer-orders";
    public static final String REVENUE = "revenue-per-minute";
    public static final String PRODUCT_UNITS = "product-units-per-hour";

    static final Serde<BigDecimal> DECIMAL = Serdes.serdeFrom(
            (topic, value) -> value == null ? null : value.toPlainString().getBytes(StandardCharsets.UTF_8),
            (topic, bytes) -> bytes == null ? null : new BigDecimal(new String(bytes, StandardCharsets.UTF_8)));
    private static final Serde<DeadLetter> DEAD_LETTER =
            Serdes.serdeFrom((topic, letter) -> letter.payload(), (topic, bytes) -> {
                throw new UnsupportedOperationException("dead letters are only written");
            });

    private OrderViewTopology() {}

    public static Topology build(
            EventSerdes serdes, OrderViewListener listener, String applicationId, WindowSettings windows, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: an order's events mostly come within one commit interval, and only its last view is written out.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ORDER_VIEWS), Serdes.String(), new JsonSerde<>(OrderView.class))
                .withCachingEnabled());
        List<String> topics = Topics.ALL.stream().map(Topic::name).toList();
        EventDecoder decoder = new EventDecoder(serdes);
        KStream<String, Object> changes = builder.stream(
                        topics,
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"))
                .process(
                        () -> new OrderViewProcessor(decoder, listener, applicationId, clock),
                        Named.as("order-view"),
                        ORDER_VIEWS);

        only(changes, DeadLetter.class, "dead-letters")
                .to(
                        (key, letter, context) -> letter.originalTopic() + Topic.DEAD_LETTER_SUFFIX,
                        Produced.with(Serdes.String(), DEAD_LETTER).withName("dead-letter-topics"));

        only(changes, CustomerChange.class, "customer-changes")
                .selectKey((orderId, change) -> change.customerId(), Named.as("by-customer"))
                .groupByKey(Grouped.with("customer-changes", Serdes.String(), new JsonSerde<>(CustomerChange.class)))
                .aggregate(
                        CustomerOrders::none,
                        (customerId, change, orders) -> orders.with(change.previous(), change.current()),
                        Named.as("customer-orders"),
                        Materialized.<String, CustomerOrders, KeyValueStore<Bytes, byte[]>>as(CUSTOMER_ORDERS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new JsonSerde<>(CustomerOrders.class)));

        only(changes, RevenueChange.class, "revenue-changes")
                .map((orderId, change) -> KeyValue.pair(change.currency(), change.amount()), Named.as("by-currency"))
                .groupByKey(Grouped.with("revenue-changes", Serdes.String(), DECIMAL))
                .windowedBy(TimeWindows.ofSizeAndGrace(WindowSettings.REVENUE_WINDOW, windows.revenueGrace()))
                .reduce(
                        BigDecimal::add,
                        Named.as("revenue"),
                        Materialized.<String, BigDecimal, WindowStore<Bytes, byte[]>>as(REVENUE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(DECIMAL)
                                .withRetention(windows.revenueRetention()));

        only(changes, UnitsOrdered.class, "units-ordered")
                .map(
                        (orderId, units) -> KeyValue.pair(units.productId(), (long) units.quantity()),
                        Named.as("by-product"))
                .groupByKey(Grouped.with("units-ordered", Serdes.String(), Serdes.Long()))
                .windowedBy(TimeWindows.ofSizeAndGrace(WindowSettings.TOP_PRODUCTS_WINDOW, windows.topProductsGrace())
                        .advanceBy(WindowSettings.TOP_PRODUCTS_ADVANCE))
                .reduce(
                        Long::sum,
                        Named.as("product-units"),
                        Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(PRODUCT_UNITS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long())
                                .withRetention(WindowSettings.TOP_PRODUCTS_WINDOW.plus(windows.topProductsGrace())));
        return builder.build();
    }

    private static <T> KStream<String, T> only(KStream<String, Object> changes, Class<T> type, String name) {
        return changes.filter((key, value) -> type.isInstance(value), Named.as("only-" + name))
                .mapValues(type::cast, Named.as("as-" + name));
    }
}
