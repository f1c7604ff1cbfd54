package io.orderflow.view.topology;

import static io.orderflow.view.topology.SagaEvents.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.contracts.Topics;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.view.domain.CustomerOrders;
import io.orderflow.view.domain.OrderStatus;
import io.orderflow.view.domain.OrderView;
import io.orderflow.view.domain.TimelineEntry;
import io.orderflow.view.query.ProductUnits;
import io.orderflow.view.query.RevenueMinute;
import io.orderflow.view.query.WindowQueries;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

class OrderViewTopologyIT {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static EventSerdes serdes;
    private static SagaEvents events;

    private TopologyTestDriver driver;
    private final Map<String, org.apache.kafka.streams.TestInputTopic<String, byte[]>> inputs = new HashMap<>();
    private final List<OrderView> notified = new java.util.ArrayList<>();

    @BeforeAll
    static void registry() {
        serdes = new EventSerdes(
                new SchemaRegistryClient(TestStack.get().schemaRegistryUrl(), Duration.ofSeconds(5)), true);
        events = new SagaEvents(serdes);
    }

    @BeforeEach
    void driver() throws Exception {
        // One minute of grace, to see late events dropped; the defaults keep them for days.
        start(new WindowSettings(Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofMinutes(1)));
    }

    private void start(WindowSettings windows) throws Exception {
        inputs.clear();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-view-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("view-test").toString());
        driver = new TopologyTestDriver(
                OrderViewTopology.build(serdes, notified::add, "order-view-test", windows, Clock.systemUTC()), config);
        for (Topic topic : Topics.ALL) {
            inputs.put(
                    topic.name(),
                    driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer()));
        }
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void anOrderViewFollowsTheSagaWithATimelineOfWhoSaidWhatWhen() {
        String orderId = UUID.randomUUID().toString();
        send(events.placed(orderId, "c-1", "59.80", T0, line("KB-001", 2, "29.90")));
        send(events.reserved(orderId, T0.plusSeconds(1)));
        send(events.authorized(orderId, "59.80", T0.plusSeconds(2)));
        send(events.scheduled(orderId, T0.plusSeconds(3)));
        send(events.confirmed(orderId, 5, T0.plusSeconds(4)));

        OrderView view = view(orderId);
        assertThat(view.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(view.version()).isEqualTo(5);
        assertThat(view.customerId()).isEqualTo("c-1");
        assertThat(view.totalAmount()).isEqualByComparingTo("59.80");
        assertThat(view.items()).singleElement().satisfies(item -> {
            assertThat(item.productId()).isEqualTo("KB-001");
            assertThat(item.quantity()).isEqualTo(2);
        });
        assertThat(view.stock()).isEqualTo("RESERVED");
        assertThat(view.payment().chargeId()).isEqualTo("ch_" + orderId);
        assertThat(view.shipment().trackingNumber()).isEqualTo("JD" + orderId);
        assertThat(view.timeline())
                .extracting(TimelineEntry::type)
                .containsExactly(
                        "OrderPlaced", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "OrderConfirmed");
        assertThat(view.timeline())
                .extracting(TimelineEntry::service)
                .containsExactly(
                        "order-service", "inventory-service", "payment-service", "shipping-service", "order-service");
        assertThat(view.timeline().get(2).at()).isEqualTo(T0.plusSeconds(2));
        assertThat(notified).last().isEqualTo(view);
    }

    @Test
    void factsArrivingInAnotherOrderGiveTheSameView() {
        String inOrder = UUID.randomUUID().toString();
        String shuffled = UUID.randomUUID().toString();
        List<java.util.function.Function<String, SagaEvents.Published>> saga = List.of(
                id -> events.placed(id, "c-2", "10.00", T0, line("MS-002", 1, "10.00")),
                id -> events.reserved(id, T0.plusSeconds(1)),
                id -> events.authorized(id, "10.00", T0.plusSeconds(2)),
                id -> events.scheduled(id, T0.plusSeconds(3)),
                id -> events.confirmed(id, 5, T0.plusSeconds(4)));
        saga.forEach(event -> send(event.apply(inOrder)));
        for (int i : new int[] {3, 2, 4, 0, 1}) {
            send(saga.get(i).apply(shuffled));
        }

        OrderView expected = view(inOrder);
        OrderView actual = view(shuffled);
        assertThat(actual.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(actual)
                .usingRecursiveComparison()
                .ignoringFields("orderId", "payment.chargeId", "shipment.trackingNumber", "timeline.eventId")
                .isEqualTo(expected);
    }

    @Test
    void aFactDeliveredTwiceIsAppliedAndCountedOnce() {
        String orderId = UUID.randomUUID().toString();
        SagaEvents.Published placed = events.placed(orderId, "c-3", "20.00", T0, line("HB-004", 4, "5.00"));
        SagaEvents.Published authorized = events.authorized(orderId, "20.00", T0.plusSeconds(1));
        send(placed);
        send(authorized);
        send(placed);
        send(authorized);

        assertThat(view(orderId).timeline()).hasSize(2);
        assertThat(revenue(T0, T0.plusSeconds(60)))
                .extracting(RevenueMinute::amount)
                .containsExactly(new BigDecimal("20.00"));
        assertThat(topProducts(T0.plusSeconds(30))).containsExactly(new ProductUnits("HB-004", 4));
        assertThat(customer("c-3").orderCount()).isEqualTo(1);
    }

    @Test
    void aCustomersHistoryListsTheirOrdersNewestFirstAndCountsOnlyConfirmedOnesAsValue() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        send(events.placed(first, "c-4", "30.00", T0, line("KB-001", 1, "30.00")));
        send(events.placed(second, "c-4", "12.50", T0.plusSeconds(5), line("MS-002", 1, "12.50")));
        send(events.confirmed(first, 5, T0.plusSeconds(6)));
        send(events.rejected(second, 3, T0.plusSeconds(7)));

        CustomerOrders orders = customer("c-4");
        assertThat(orders.orderCount()).isEqualTo(2);
        assertThat(orders.lifetimeValue()).containsOnlyKeys("EUR");
        assertThat(orders.lifetimeValue().get("EUR")).isEqualByComparingTo("30.00");
        assertThat(orders.recentOrders())
                .extracting(summary -> summary.orderId() + " " + summary.status())
                .containsExactly(second + " REJECTED", first + " CONFIRMED");
    }

    @Test
    void revenueIsCountedInTheMinuteItWasTakenAndARefundTakesItBack() {
        String paid = UUID.randomUUID().toString();
        String refunded = UUID.randomUUID().toString();
        send(events.authorized(paid, "40.00", T0.plusSeconds(10)));
        send(events.authorized(refunded, "15.00", T0.plusSeconds(20)));
        send(events.refunded(refunded, "15.00", T0.plusSeconds(70)));

        assertThat(revenue(T0, T0.plusSeconds(120)))
                .containsExactly(
                        new RevenueMinute(T0, "EUR", new BigDecimal("55.00")),
                        new RevenueMinute(T0.plusSeconds(60), "EUR", new BigDecimal("-15.00")));
    }

    @Test
    void aLateEventCountsInItsOwnMinuteWithinTheGraceAndIsDroppedAfterIt() {
        send(events.authorized(UUID.randomUUID().toString(), "1.00", T0.plusSeconds(600)));
        // Out of order, but its window [9:00, 10:00) closes only at 11:00 (one minute of grace).
        send(events.authorized(UUID.randomUUID().toString(), "2.00", T0.plusSeconds(570)));
        // Ten minutes late: its window closed long ago.
        send(events.authorized(UUID.randomUUID().toString(), "4.00", T0.plusSeconds(5)));

        assertThat(revenue(T0, T0.plusSeconds(660)))
                .containsExactly(
                        new RevenueMinute(T0.plusSeconds(540), "EUR", new BigDecimal("2.00")),
                        new RevenueMinute(T0.plusSeconds(600), "EUR", new BigDecimal("1.00")));
    }

    @Test
    void withTheDefaultGraceRevenueAPartitionDeliversHoursLateIsStillCounted() throws Exception {
        driver.close();
        start(WindowSettings.defaults());
        // What a rebuild looks like: one partition's whole history read before another's.
        send(events.authorized(UUID.randomUUID().toString(), "1.00", T0.plus(Duration.ofHours(30))));
        send(events.authorized(UUID.randomUUID().toString(), "2.00", T0));

        assertThat(revenue(T0, T0.plus(Duration.ofHours(31))))
                .extracting(RevenueMinute::amount)
                .containsExactly(new BigDecimal("2.00"), new BigDecimal("1.00"));
    }

    @Test
    void topProductsRankTheUnitsOrderedInTheLastHour() {
        send(events.placed(
                UUID.randomUUID().toString(), "c-5", "1", T0, line("KB-001", 1, "1"), line("MS-002", 5, "1")));
        send(events.placed(
                UUID.randomUUID().toString(),
                "c-6",
                "1",
                T0.plusSeconds(1800),
                line("KB-001", 2, "1"),
                line("MN-003", 3, "1")));
        send(events.placed(UUID.randomUUID().toString(), "c-7", "1", T0.plusSeconds(3700), line("KB-001", 1, "1")));

        // At 1:01:40 the first order (0:00:00) is more than an hour old.
        assertThat(topProducts(T0.plusSeconds(3700)))
                .containsExactly(new ProductUnits("KB-001", 3), new ProductUnits("MN-003", 3));
        assertThat(topProducts(T0.plusSeconds(1800)))
                .containsExactly(
                        new ProductUnits("MS-002", 5), new ProductUnits("KB-001", 3), new ProductUnits("MN-003", 3));
    }

    @Test
    void aRecordThatCannotBeReadGoesToItsDeadLetterTopicWithTheReasonAndTheNextOneIsApplied() {
        String poisoned = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        Envelope.first("OrderPlaced", poisoned, "order-service", T0).writeTo(headers);
        inputs.get(Topics.ORDERS.name())
                .pipeInput(new TestRecord<>(poisoned, "not avro".getBytes(StandardCharsets.UTF_8), headers, T0));
        SagaEvents.Published wrongKey = events.authorized(UUID.randomUUID().toString(), "3.00", T0);
        inputs.get(Topics.PAYMENTS.name())
                .pipeInput(new TestRecord<>(
                        "another-order",
                        wrongKey.record().value(),
                        wrongKey.record().headers(),
                        T0));
        String healthy = UUID.randomUUID().toString();
        send(events.placed(healthy, "c-8", "9.00", T0, line("KB-001", 1, "9.00")));

        var ordersDlq = driver.createOutputTopic(
                        Topics.ORDERS.deadLetterTopic(), new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
        assertThat(ordersDlq).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isEqualTo(poisoned);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(header(letter, DeadLetterHeaders.REASON)).startsWith("PoisonRecordException");
            assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.ORDERS.name());
            assertThat(header(letter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("order-view-test");
            assertThat(header(letter, DeadLetterHeaders.CONSUMER)).isEqualTo("order-view-test");
            assertThat(Envelope.readFrom(letter.headers()).correlationId()).isEqualTo(poisoned);
        });
        var paymentsDlq = driver.createOutputTopic(
                        Topics.PAYMENTS.deadLetterTopic(), new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
        assertThat(paymentsDlq)
                .singleElement()
                .satisfies(letter ->
                        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("must be keyed by its id"));
        assertThat(store().get(poisoned)).isNull();
        assertThat(view(healthy).status()).isEqualTo(OrderStatus.PLACED);
    }

    @Test
    void aReplayMeantForAnotherConsumerIsPassedByAndOneMeantForTheViewIsApplied() {
        String forOthers = UUID.randomUUID().toString();
        RecordHeaders poison = new RecordHeaders();
        Envelope.first("OrderPlaced", forOthers, "order-service", T0).writeTo(poison);
        poison.add(DeadLetterHeaders.REPLAY_FOR, "payment-service".getBytes(StandardCharsets.UTF_8));
        inputs.get(Topics.ORDERS.name())
                .pipeInput(new TestRecord<>(forOthers, "not avro".getBytes(StandardCharsets.UTF_8), poison, T0));
        String forTheView = UUID.randomUUID().toString();
        SagaEvents.Published placed = events.placed(forTheView, "c-9", "4.00", T0, line("KB-001", 1, "4.00"));
        placed.record().headers().add(DeadLetterHeaders.REPLAY_FOR, "order-view-test".getBytes(StandardCharsets.UTF_8));
        send(placed);

        assertThat(driver.createOutputTopic(
                                Topics.ORDERS.deadLetterTopic(), new StringDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList())
                .isEmpty();
        assertThat(store().get(forOthers)).isNull();
        assertThat(view(forTheView).status()).isEqualTo(OrderStatus.PLACED);
    }

    @Test
    void aReplayHeaderWithoutAValueDeadLettersThatRecordAloneAndTheViewGoesOn() {
        String broken = UUID.randomUUID().toString();
        SagaEvents.Published brokenPlaced = events.placed(broken, "c-8", "4.00", T0, line("KB-001", 1, "4.00"));
        brokenPlaced.record().headers().add(DeadLetterHeaders.REPLAY_FOR, null);
        String healthy = UUID.randomUUID().toString();

        send(brokenPlaced);
        send(events.placed(healthy, "c-8", "4.00", T0, line("KB-001", 1, "4.00")));

        List<TestRecord<String, byte[]>> letters = driver.createOutputTopic(
                        Topics.ORDERS.deadLetterTopic(), new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
        assertThat(letters).extracting(TestRecord::key).containsExactly(broken);
        assertThat(header(letters.get(0), DeadLetterHeaders.REASON)).contains(DeadLetterHeaders.REPLAY_FOR);
        assertThat(store().get(broken)).isNull();
        assertThat(view(healthy).status()).isEqualTo(OrderStatus.PLACED);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void send(SagaEvents.Published published) {
        inputs.get(published.topic().name()).pipeInput(published.record());
    }

    private KeyValueStore<String, OrderView> store() {
        return driver.getKeyValueStore(OrderViewTopology.ORDER_VIEWS);
    }

    private OrderView view(String orderId) {
        OrderView view = store().get(orderId);
        assertThat(view).as("view of " + orderId).isNotNull();
        return view;
    }

    private CustomerOrders customer(String customerId) {
        KeyValueStore<String, CustomerOrders> store = driver.getKeyValueStore(OrderViewTopology.CUSTOMER_ORDERS);
        return store.get(customerId);
    }

    private List<RevenueMinute> revenue(Instant from, Instant to) {
        WindowStore<String, BigDecimal> store = driver.getWindowStore(OrderViewTopology.REVENUE);
        return WindowQueries.revenue(store, from, to);
    }

    private List<ProductUnits> topProducts(Instant now) {
        WindowStore<String, Long> store = driver.getWindowStore(OrderViewTopology.PRODUCT_UNITS);
        return WindowQueries.topProducts(store, now, 10);
    }
}
