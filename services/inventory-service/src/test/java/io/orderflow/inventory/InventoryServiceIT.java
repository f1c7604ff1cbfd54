package io.orderflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.common.Price;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.CancellationReason;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.inventory.application.CatalogueEvents;
import io.orderflow.inventory.application.CatalogueService;
import io.orderflow.inventory.application.OrderDecision;
import io.orderflow.inventory.application.OrderRequest;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockRepository;
import io.orderflow.inventory.application.StockReturns;
import io.orderflow.inventory.domain.RequestedLine;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + InventoryServiceApplication.CONFIG_NAME)
class InventoryServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaProducer<String, byte[]> producer;

    @Autowired
    EventSerdes serdes;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    ReservationService reservations;

    @Autowired
    StockReturns returns;

    @Autowired
    StockRepository stockRepository;

    @Autowired
    List<EventConsumer> eventConsumers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestStack.get().bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void itsApiDocumentIsValidOpenApiAndDescribesEveryEndpointItServes() {
        ApiDocsCheck.Service.at(
                        "http://127.0.0.1:" + port, TestStack.get().tokens().operator())
                .assertDescribesItself("PUT /stock/{productId}/prices", "GET /ops/lag");
    }

    @Test
    void itsEventDocumentIsValidAsyncApiAndDescribesWhatItWritesAndReads() {
        AsyncApiCheck.Service document = AsyncApiCheck.Service.at("http://127.0.0.1:" + port);

        document.assertDescribes(
                new EventInterface(
                        "inventory-service",
                        List.of(Topics.INVENTORY),
                        eventConsumers.stream().map(Subscription::of).toList()),
                TestStack.get().bootstrapServers());
        assertThat(document.groups())
                .containsExactlyInAnyOrder(
                        "inventory-service", "inventory-service-shipments", "inventory-service-payments");
    }

    @Test
    void reservesEveryLineAndSaysSoWithTheOrdersCorrelation() throws Exception {
        int keyboards = available("KB-001");
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> placed = orderPlaced(orderId, List.of(line("KB-001", 2), line("MS-002", 1)));
        producer.send(placed).get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 1);
        assertThat(header(answers.get(0), EventHeaders.EVENT_TYPE)).isEqualTo("StockReserved");
        assertThat(header(answers.get(0), EventHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());
        assertThat(header(answers.get(0), EventHeaders.CAUSATION_ID)).isEqualTo(header(placed, EventHeaders.EVENT_ID));
        StockReserved reserved = (StockReserved) serdes.of(Topics.INVENTORY)
                .fromBytes("StockReserved", answers.get(0).value());
        assertThat(reserved.getLines()).hasSize(2);
        assertThat(available("KB-001")).isEqualTo(keyboards - 2);
    }

    @Test
    void theSameEventDeliveredTwiceChangesStockOnce() throws Exception {
        int monitors = available("MN-003");
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> placed = orderPlaced(orderId, List.of(line("MN-003", 1)));
        producer.send(placed).get();
        producer.send(new ProducerRecord<>(placed.topic(), null, placed.key(), placed.value(), placed.headers()))
                .get();
        UUID marker = UUID.randomUUID();
        producer.send(orderPlaced(marker, List.of(line("MN-003", 1)))).get();

        awaitAnswers(marker, 1);
        assertThat(awaitAnswers(orderId, 1)).hasSize(1);
        assertThat(available("MN-003")).isEqualTo(monitors - 2);
    }

    @Test
    void aDeclinedPaymentGivesTheStockBackOnce() throws Exception {
        int keyboards = available("KB-001");
        int mice = available("MS-002");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("KB-001", 3), line("MS-002", 2))))
                .get();
        awaitAnswers(orderId, 1);
        assertThat(available("KB-001")).isEqualTo(keyboards - 3);

        ProducerRecord<String, byte[]> declined = paymentDeclined(orderId);
        producer.send(declined).get();
        producer.send(new ProducerRecord<>(
                        declined.topic(), null, declined.key(), declined.value(), declined.headers()))
                .get();
        producer.send(paymentDeclined(orderId)).get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 2);
        ConsumerRecord<String, byte[]> released = answers.get(1);
        assertThat(header(released, EventHeaders.EVENT_TYPE)).isEqualTo("StockReleased");
        assertThat(header(released, EventHeaders.CAUSATION_ID)).isEqualTo(header(declined, EventHeaders.EVENT_ID));
        StockReleased event = (StockReleased) serdes.of(Topics.INVENTORY).fromBytes("StockReleased", released.value());
        assertThat(event.getReason()).isEqualTo(ReleaseReason.PAYMENT_DECLINED);
        assertThat(event.getLines())
                .extracting(l -> l.getProductId() + "x" + l.getQuantity())
                .containsExactly("KB-001x3", "MS-002x2");
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> available("KB-001") == keyboards
                        && available("MS-002") == mice
                        && awaitAnswers(orderId, 2).size() == 2);
    }

    @Test
    void aDeclineForAnOrderThatHoldsNoStockReleasesNothing() throws Exception {
        int hubs = available("HB-004");
        UUID rejected = UUID.randomUUID();
        producer.send(orderPlaced(rejected, List.of(line("HB-004", 1), line("LT-006", 1))))
                .get();
        awaitAnswers(rejected, 1);
        UUID unknown = UUID.randomUUID();
        ProducerRecord<String, byte[]> declinedRejected = paymentDeclined(rejected);
        ProducerRecord<String, byte[]> declinedUnknown = paymentDeclined(unknown);
        producer.send(declinedRejected).get();
        producer.send(declinedUnknown).get();

        // The inbox rows prove both declines were handled; only then does "no answer" mean "answered nothing".
        await().atMost(WAIT).until(() -> processed(declinedRejected) && processed(declinedUnknown));
        assertThat(awaitAnswers(rejected, 1)).hasSize(1);
        try (RawKafka records = new RawKafka(TestStack.get().bootstrapServers())) {
            assertThat(records.readAll(Topics.INVENTORY.name(), RawKafka.keyed(unknown.toString())))
                    .isEmpty();
        }
        assertThat(available("HB-004")).isEqualTo(hubs);
    }

    @Test
    void aCancellationReadBeforeItsOrderIsRememberedAnsweredAndReservesNothingAfterwards() throws Exception {
        int chairs = available("CH-005");
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> cancellation =
                cancellationRequested(orderId, CancellationReason.CUSTOMER_REQUEST);
        ProducerRecord<String, byte[]> placedLate = orderPlaced(orderId, List.of(line("CH-005", 1)));
        // A replayed dead letter, or a lagging partition: the cancellation is read before the placement.
        producer.send(cancellation).get();
        producer.send(placedLate).get();

        await().atMost(WAIT).until(() -> processed(cancellation) && processed(placedLate));
        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 1);
        assertThat(answers).extracting(r -> header(r, EventHeaders.EVENT_TYPE)).containsExactly("StockReleased");
        assertThat(header(answers.get(0), EventHeaders.CAUSATION_ID))
                .isEqualTo(header(cancellation, EventHeaders.EVENT_ID));
        StockReleased released = (StockReleased) serdes.of(Topics.INVENTORY)
                .fromBytes("StockReleased", answers.get(0).value());
        assertThat(released.getLines())
                .as("nothing was held, and nothing will be")
                .isEmpty();
        assertThat(released.getReason()).isEqualTo(ReleaseReason.ORDER_CANCELLED);
        assertThat(available("CH-005")).isEqualTo(chairs);
        assertThat(jdbc.sql("SELECT status FROM reservations WHERE order_id = ?")
                        .param(orderId)
                        .query(String.class)
                        .single())
                .isEqualTo("CANCELLED");
    }

    @Test
    void aCancelledOrderThatWasNeverChargedGetsItsStockBackOnceWhenPaymentSaysSo() throws Exception {
        int keyboards = available("KB-001");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("KB-001", 2)))).get();
        ProducerRecord<String, byte[]> cancellation =
                cancellationRequested(orderId, CancellationReason.PAYMENT_DEADLINE_EXPIRED);
        producer.send(cancellation).get();
        await().atMost(WAIT).until(() -> processed(cancellation));
        assertThat(available("KB-001"))
                .as("payment has not said that nothing was charged")
                .isEqualTo(keyboards - 2);

        ProducerRecord<String, byte[]> voided =
                payment(orderId, new PaymentVoided(orderId.toString(), "order cancelled", Instant.now()));
        producer.send(voided).get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 2);
        assertThat(header(answers.get(1), EventHeaders.CAUSATION_ID)).isEqualTo(header(voided, EventHeaders.EVENT_ID));
        StockReleased event = (StockReleased) serdes.of(Topics.INVENTORY)
                .fromBytes("StockReleased", answers.get(1).value());
        assertThat(event.getReason()).isEqualTo(ReleaseReason.PAYMENT_DEADLINE_EXPIRED);
        assertThat(available("KB-001")).isEqualTo(keyboards);

        ProducerRecord<String, byte[]> lateDecline = paymentDeclined(orderId);
        ProducerRecord<String, byte[]> lateCancel = cancellationRequested(orderId, CancellationReason.CUSTOMER_REQUEST);
        producer.send(lateDecline).get();
        producer.send(lateCancel).get();

        await().atMost(WAIT).until(() -> processed(lateDecline) && processed(lateCancel));
        assertThat(awaitAnswers(orderId, 2)).hasSize(2);
        assertThat(available("KB-001")).isEqualTo(keyboards);
    }

    @Test
    void aVoidReadBeforeItsOrderIsRememberedSoTheLatePlacementReservesNothing() throws Exception {
        int stands = available("LT-006");
        int chairs = available("CH-005");
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> voided =
                payment(orderId, new PaymentVoided(orderId.toString(), "order cancelled", Instant.now()));
        ProducerRecord<String, byte[]> placed = orderPlaced(orderId, List.of(line("CH-005", 1)));
        ProducerRecord<String, byte[]> cancellation =
                cancellationRequested(orderId, CancellationReason.PAYMENT_DEADLINE_EXPIRED);
        // inventory's orders subscription lags (a restart): payment-service voided the order in the meantime.
        producer.send(voided).get();
        await().atMost(WAIT).until(() -> processed(voided));
        producer.send(placed).get();
        producer.send(cancellation).get();

        await().atMost(WAIT).until(() -> processed(placed) && processed(cancellation));
        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 1);
        assertThat(answers).extracting(r -> header(r, EventHeaders.EVENT_TYPE)).containsExactly("StockReleased");
        assertThat(header(answers.get(0), EventHeaders.CAUSATION_ID)).isEqualTo(header(voided, EventHeaders.EVENT_ID));
        assertThat(available("CH-005")).isEqualTo(chairs);
        assertThat(available("LT-006")).isEqualTo(stands);
    }

    @Test
    void aCancelledPaidOrderKeepsItsStockWhileItsShipmentIsLiveEvenWhenTheRefundFails() throws Exception {
        int monitors = available("MN-003");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("MN-003", 1)))).get();
        awaitAnswers(orderId, 1);
        ProducerRecord<String, byte[]> authorized = authorized(orderId);
        ProducerRecord<String, byte[]> cancellation =
                cancellationRequested(orderId, CancellationReason.CUSTOMER_REQUEST);
        ProducerRecord<String, byte[]> refundFailed = payment(
                orderId,
                new PaymentRefundFailed(orderId.toString(), "ch_" + orderId, "provider refused", 8, Instant.now()));
        producer.send(authorized).get();
        producer.send(cancellation).get();
        producer.send(refundFailed).get();

        await().atMost(WAIT).until(() -> processed(cancellation) && processed(authorized) && processed(refundFailed));
        assertThat(available("MN-003"))
                .as("the shipment is live: the units may still leave")
                .isEqualTo(monitors - 1);
        assertThat(awaitAnswers(orderId, 1)).hasSize(1);
    }

    @Test
    void aRefundedPaidOrderGetsItsStockBackOnlyOnceItsShipmentIsCalledOff() throws Exception {
        int hubs = available("HB-004");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("HB-004", 3)))).get();
        awaitAnswers(orderId, 1);
        ProducerRecord<String, byte[]> cancellation =
                cancellationRequested(orderId, CancellationReason.CUSTOMER_REQUEST);
        ProducerRecord<String, byte[]> refunded = refunded(orderId);
        producer.send(authorized(orderId)).get();
        producer.send(cancellation).get();
        producer.send(refunded).get();
        await().atMost(WAIT).until(() -> processed(cancellation) && processed(refunded));
        assertThat(available("HB-004"))
                .as("refunded, but the shipment is not called off yet")
                .isEqualTo(hubs - 3);

        ProducerRecord<String, byte[]> calledOff = shipmentCancelled(orderId);
        producer.send(calledOff).get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 2);
        assertThat(header(answers.get(1), EventHeaders.EVENT_TYPE)).isEqualTo("StockReleased");
        assertThat(header(answers.get(1), EventHeaders.CAUSATION_ID))
                .isEqualTo(header(calledOff, EventHeaders.EVENT_ID));
        StockReleased event = (StockReleased) serdes.of(Topics.INVENTORY)
                .fromBytes("StockReleased", answers.get(1).value());
        assertThat(event.getReason()).isEqualTo(ReleaseReason.ORDER_CANCELLED);
        assertThat(available("HB-004")).isEqualTo(hubs);
    }

    @Test
    void aLostChargeRefundedGivesTheStockBackAtOnceForNoShipmentWasEverBookedForIt() throws Exception {
        int mice = available("MS-002");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("MS-002", 2)))).get();
        awaitAnswers(orderId, 1);
        ProducerRecord<String, byte[]> refunded = refunded(orderId);
        producer.send(cancellationRequested(orderId, CancellationReason.CUSTOMER_REQUEST))
                .get();
        // No PaymentAuthorized before it on the payments topic: the charge's answer was lost, nobody shipped.
        producer.send(refunded).get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 2);
        assertThat(header(answers.get(1), EventHeaders.CAUSATION_ID))
                .isEqualTo(header(refunded, EventHeaders.EVENT_ID));
        assertThat(available("MS-002")).isEqualTo(mice);
    }

    private ProducerRecord<String, byte[]> authorized(UUID orderId) {
        return payment(
                orderId,
                new PaymentAuthorized(
                        orderId.toString(), "c-1", new BigDecimal("10.00"), "EUR", "ch_" + orderId, Instant.now()));
    }

    private ProducerRecord<String, byte[]> refunded(UUID orderId) {
        return payment(
                orderId,
                new PaymentRefunded(
                        orderId.toString(),
                        "ch_" + orderId,
                        "re_" + orderId,
                        new BigDecimal("10.00"),
                        "EUR",
                        Instant.now()));
    }

    private ProducerRecord<String, byte[]> payment(UUID orderId, SpecificRecord event) {
        return record(Topics.PAYMENTS, orderId, event);
    }

    private ProducerRecord<String, byte[]> shipmentCancelled(UUID orderId) {
        return record(
                Topics.SHIPMENTS,
                orderId,
                new ShipmentCancelled(orderId.toString(), "TRK-1", "payment refunded", Instant.now()));
    }

    private ProducerRecord<String, byte[]> cancellationRequested(UUID orderId, CancellationReason reason) {
        return record(
                Topics.ORDERS, orderId, new OrderCancellationRequested(orderId.toString(), reason, Instant.now()));
    }

    private ProducerRecord<String, byte[]> paymentDeclined(UUID orderId) {
        return payment(orderId, new PaymentDeclined(orderId.toString(), "insufficient_funds", Instant.now()));
    }

    /** Another service's event about the order, on that service's topic, as the first of its saga. */
    private ProducerRecord<String, byte[]> record(Topic topic, UUID orderId, SpecificRecord event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                topic.name(), orderId.toString(), serdes.of(topic).toBytes(event));
        Envelope.first(EventTypes.nameOf(event), orderId.toString(), "test", Instant.now())
                .writeTo(record.headers());
        return record;
    }

    @Test
    void aBatchLocksTheStockItWillChangeBeforeItsFirstEvent() throws Exception {
        UUID holdingKeyboards = UUID.randomUUID();
        producer.send(orderPlaced(holdingKeyboards, List.of(line("KB-001", 1)))).get();
        awaitAnswers(holdingKeyboards, 1);

        // What inventory's subscriptions do first: lock the products a placed order reserves and those a released
        // order holds. Meanwhile another transaction cannot take either, and can take any other product.
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            reservations.lockStockFor(List.of("MS-002"), List.of(holdingKeyboards));
            assertThat(lockableNow("KB-001")).isFalse();
            assertThat(lockableNow("MS-002")).isFalse();
            assertThat(lockableNow("MN-003")).isTrue();
        });
        assertThat(lockableNow("KB-001")).isTrue();
    }

    @Test
    void ordersDecidedTogetherEachSeeTheStockTheOnesBeforeLeft() {
        int monitors = available("MN-003");
        UUID takesAllButOne = UUID.randomUUID();
        UUID wantsTwo = UUID.randomUUID();
        UUID wantsOne = UUID.randomUUID();
        List<OrderRequest> batch = List.of(
                new OrderRequest(takesAllButOne, List.of(new RequestedLine("MN-003", monitors - 1))),
                new OrderRequest(wantsTwo, List.of(new RequestedLine("MN-003", 2))),
                new OrderRequest(wantsOne, List.of(new RequestedLine("MN-003", 1))),
                new OrderRequest(wantsOne, List.of(new RequestedLine("MN-003", 1))));

        List<OrderDecision> decisions =
                new TransactionTemplate(transactions).execute(status -> reservations.reserveAll(batch));

        assertThat(decisions).extracting(OrderDecision::orderId).containsExactly(takesAllButOne, wantsTwo, wantsOne);
        assertThat(decisions)
                .extracting(decided -> decided.decision().getClass().getSimpleName())
                .containsExactly("Reserve", "Reject", "Reserve");
        assertThat(available("MN-003")).isZero();
        List<OrderDecision> again =
                new TransactionTemplate(transactions).execute(status -> reservations.reserveAll(batch));
        assertThat(again).as("decided before").isEmpty();
        assertThat(available("MN-003")).isZero();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            returns.paymentDeclined(takesAllButOne, "OTHER");
            returns.paymentDeclined(wantsOne, "OTHER");
        });
        assertThat(available("MN-003")).isEqualTo(monitors);
    }

    /** Whether another connection can lock the product's stock row at once. */
    private boolean lockableNow(String product) {
        try (Connection other = dataSource.getConnection();
                Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            try {
                statement.executeQuery("SELECT 1 FROM stock WHERE product_id = '" + product + "' FOR UPDATE NOWAIT");
                return true;
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                other.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rejectsAShortOrderWithoutTouchingAnyStock() throws Exception {
        int hubs = available("HB-004");
        UUID orderId = UUID.randomUUID();
        producer.send(orderPlaced(orderId, List.of(line("HB-004", 1), line("LT-006", 1))))
                .get();

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(orderId, 1);
        assertThat(header(answers.get(0), EventHeaders.EVENT_TYPE)).isEqualTo("StockRejected");
        StockRejected rejected = (StockRejected) serdes.of(Topics.INVENTORY)
                .fromBytes("StockRejected", answers.get(0).value());
        assertThat(rejected.getShortLines()).extracting(l -> l.getProductId()).containsExactly("LT-006");
        assertThat(available("HB-004")).isEqualTo(hubs);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheOrderBehindItIsReserved() throws Exception {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> valid = orderPlaced(orderId, List.of(line("KB-001", 1)));
        // Same key, so the same partition, right in front of a valid order.
        ProducerRecord<String, byte[]> envelope = orderPlaced(orderId, List.of(line("KB-001", 1)));
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(
                Topics.ORDERS.name(),
                null,
                orderId.toString(),
                "{\"orderId\":\"not avro\"}".getBytes(StandardCharsets.UTF_8),
                envelope.headers());
        producer.send(poison).get();
        producer.send(valid).get();

        assertThat(awaitAnswers(orderId, 1)).hasSize(1);
        try (RawKafka records = new RawKafka(TestStack.get().bootstrapServers())) {
            await().atMost(WAIT)
                    .until(() -> !records.readAll(Topics.ORDERS.deadLetterTopic(), RawKafka.keyed(orderId.toString()))
                            .isEmpty());
            ConsumerRecord<String, byte[]> dead = records.readAll(
                            Topics.ORDERS.deadLetterTopic(), RawKafka.keyed(orderId.toString()))
                    .get(0);
            assertThat(RawKafka.header(dead, "dlq-reason"))
                    .contains("OrderPlaced payload starts with the unknown magic byte 0x7b");
            assertThat(RawKafka.header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDERS.name());
            assertThat(RawKafka.header(dead, EventHeaders.EVENT_ID)).isEqualTo(header(envelope, EventHeaders.EVENT_ID));
        }
    }

    // ---- the catalogue's prices (issue 12, point 1)

    @Test
    void everyProductIsListedWithItsPriceListAndShownWithItInStock() throws Exception {
        ProductListed standListing = latestListing("LT-006", listing -> true);

        assertThat(standListing.getPrices()).extracting(Price::getCurrency).containsExactly("EUR", "GBP", "USD");
        assertThat(standListing.getPrices().get(0).getAmount()).isEqualByComparingTo("39.00");
        JsonNode stand = stockOf("LT-006");
        assertThat(stand.path("prices").path("EUR").decimalValue()).isEqualByComparingTo("39.00");
    }

    @Test
    void aNewPriceListIsPublishedWholeAndShownInStock() throws Exception {
        HttpResponse<String> repriced = put("/stock/HB-004/prices", "{\"EUR\": 33.50, \"USD\": 36}");

        assertThat(repriced.statusCode()).as(repriced.body()).isEqualTo(200);
        ProductListed listing = latestListing("HB-004", l -> l.getPrices().size() == 2);
        assertThat(listing.getPrices()).extracting(Price::getCurrency).containsExactly("EUR", "USD");
        assertThat(listing.getPrices())
                .extracting(Price::getAmount)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("33.50"), new BigDecimal("36.00"));
        assertThat(stockOf("HB-004").path("prices").has("GBP"))
                .as("no longer sold in GBP")
                .isFalse();
    }

    @Test
    void everyNewListingOfAProductIsLaterThanTheOneBeforeWhateverTheClockSays() {
        List<Instant> listedAt = new java.util.ArrayList<>();
        CatalogueEvents recorded = (product, at) -> listedAt.add(at);
        // Two instances whose clocks agree to the millisecond, or the second one's is behind.
        CatalogueService sameMillisecond = new CatalogueService(
                stockRepository, recorded, Clock.fixed(Instant.parse("2026-11-29T08:00:00.123Z"), ZoneOffset.UTC));
        CatalogueService behind = new CatalogueService(
                stockRepository, recorded, Clock.fixed(Instant.parse("2026-11-29T07:59:00Z"), ZoneOffset.UTC));
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        transaction.executeWithoutResult(
                status -> sameMillisecond.reprice("MS-002", Map.of("EUR", new BigDecimal("24.50"))));
        transaction.executeWithoutResult(
                status -> sameMillisecond.reprice("MS-002", Map.of("EUR", new BigDecimal("25.00"))));
        transaction.executeWithoutResult(status -> behind.reprice("MS-002", Map.of("EUR", new BigDecimal("24.50"))));

        assertThat(listedAt).hasSize(3);
        assertThat(listedAt.get(1))
                .as("order-service keeps a listing only when it is later")
                .isAfter(listedAt.get(0));
        assertThat(listedAt.get(2)).isAfter(listedAt.get(1));
    }

    @Test
    void aBadPriceListIsA4xxProblemAndChangesNothing() throws Exception {
        JsonNode before = stockOf("CH-005");

        assertProblem(put("/stock/CH-005/prices", "{\"XYZ\": 10}"), 422, "'XYZ': not an ISO 4217 currency");
        assertProblem(put("/stock/CH-005/prices", "{\"EUR\": 0}"), 422, "EUR: must be greater than 0");
        assertProblem(put("/stock/CH-005/prices", "{\"EUR\": 1.234}"), 422, "EUR: at most 2 decimals");
        assertProblem(put("/stock/CH-005/prices", "{\"EUR\": 12345678901}"), 422, "EUR: at most 9999999999.99");
        assertProblem(put("/stock/CH-005/prices", "{\"E\\u0000R\": 1}"), 422, "'E\\u0000R'");
        assertProblem(put("/stock/CH-005/prices", "{\"EUR\": \"cheap\"}"), 400, null);
        assertProblem(put("/stock/CH-005/prices", "{\"EUR\": "), 400, null);
        assertProblem(put("/stock/NO-SUCH/prices", "{\"EUR\": 1}"), 404, "no product with id NO-SUCH");

        assertThat(stockOf("CH-005")).isEqualTo(before);
    }

    private JsonNode stockOf(String productId) {
        HttpResponse<String> stock = http().get("/stock");
        assertThat(stock.statusCode()).isEqualTo(200);
        return TestHttp.json(stock)
                .valueStream()
                .filter(product -> product.path("productId").asString().equals(productId))
                .findFirst()
                .orElseThrow();
    }

    private HttpResponse<String> put(String path, String body) {
        return http().put(path, body);
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (detail != null) {
            assertThat(TestHttp.json(response).path("detail").asString()).contains(detail);
        }
    }

    private TestHttp http() {
        return new TestHttp("http://127.0.0.1:" + port).as(TestStack.get().tokens()::operator);
    }

    /** The newest listing of the product on inventory's topic that matches, waiting for one. */
    private ProductListed latestListing(String productId, java.util.function.Predicate<ProductListed> wanted) {
        try (RawKafka records = new RawKafka(TestStack.get().bootstrapServers())) {
            return await().atMost(WAIT)
                    .until(
                            () -> {
                                List<ConsumerRecord<String, byte[]>> listings =
                                        records.readAll(Topics.INVENTORY.name(), RawKafka.keyed(productId));
                                if (listings.isEmpty()) {
                                    return null;
                                }
                                ConsumerRecord<String, byte[]> last = listings.get(listings.size() - 1);
                                return (ProductListed)
                                        serdes.of(Topics.INVENTORY).fromBytes("ProductListed", last.value());
                            },
                            listing -> listing != null && wanted.test(listing));
        }
    }

    private int available(String product) {
        return jdbc.sql("SELECT available FROM stock WHERE product_id = ?")
                .param(product)
                .query(Integer.class)
                .single();
    }

    private static OrderLine line(String product, int quantity) {
        return new OrderLine(product, quantity, new BigDecimal("10.00"));
    }

    private ProducerRecord<String, byte[]> orderPlaced(UUID orderId, List<OrderLine> lines) {
        return record(
                Topics.ORDERS,
                orderId,
                new OrderPlaced(orderId.toString(), "c-1", "EUR", lines, new BigDecimal("10.00"), Instant.now()));
    }

    private boolean processed(ProducerRecord<String, byte[]> event) {
        return jdbc.sql("SELECT count(*) FROM processed_events WHERE event_id = ?::uuid")
                        .param(header(event, EventHeaders.EVENT_ID))
                        .query(Integer.class)
                        .single()
                == 1;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> awaitAnswers(UUID orderId, int count) {
        try (RawKafka records = new RawKafka(TestStack.get().bootstrapServers())) {
            await().atMost(WAIT)
                    .until(() -> records.readAll(Topics.INVENTORY.name(), RawKafka.keyed(orderId.toString()))
                                    .size()
                            >= count);
            return records.readAll(Topics.INVENTORY.name(), RawKafka.keyed(orderId.toString()));
        }
    }
}
