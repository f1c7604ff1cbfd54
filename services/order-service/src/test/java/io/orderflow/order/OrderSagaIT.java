package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ReleaseReason;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockReleased;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.CancellationReason;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.payments.PaymentVoided;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.order.application.ConcurrentOrderUpdateException;
import io.orderflow.order.application.OrderService;
import io.orderflow.order.application.OrderStore;
import io.orderflow.order.domain.Order;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * order-service's side of the saga on the real broker and PostgreSQL: the other services are played by records sent
 * to their topics, and what order-service decides is read back from its event store, its API and orders.events.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + OrderServiceApplication.CONFIG_NAME,
            "orderflow.order.payment-timeout=10m",
            "orderflow.order.snapshot-every=3",
            "orderflow.order.saga-gauges-interval=200ms"
        })
@DirtiesContext
class OrderSagaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    EventSerdes serdes;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OrderStore store;

    @Autowired
    OrderService orders;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    private SagaFixture saga;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeEach
    void catalogueAndFixture() {
        TestCatalogue.list(jdbc, "KB-001", "EUR", "10.25");
        saga = new SagaFixture(serdes, port);
    }

    @AfterEach
    void closeFixture() {
        saga.close();
    }

    @Test
    void theHappyPathRecordsEveryFactAndConfirmsWithOneCorrelatedEvent() {
        UUID orderId = saga.place();

        Envelope reserved = saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        Envelope authorized = saga.deliver(orderId, Topics.PAYMENTS, paymentAuthorized(orderId), reserved);
        Envelope scheduled = saga.deliver(orderId, Topics.SHIPMENTS, shipmentScheduled(orderId), authorized);
        await().atMost(WAIT).until(() -> saga.status(orderId).equals("CONFIRMED"));

        JsonNode order = saga.order(orderId);
        assertThat(order.path("chargeId").asString()).isEqualTo("ch_" + orderId);
        assertThat(order.path("trackingNumber").asString()).isEqualTo("JD" + orderId);
        assertThat(order.path("history")
                        .valueStream()
                        .map(e -> e.path("type").asString())
                        .toList())
                .containsExactly("Placed", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "Confirmed");
        assertThat(order.path("history").valueStream().map(e -> e.path("at").asString()))
                .allSatisfy(at ->
                        assertThat(Instant.parse(at)).isBefore(Instant.now().plusSeconds(1)));
        assertThat(order.path("history")
                        .get(0)
                        .path("details")
                        .path("lines")
                        .get(0)
                        .path("productId")
                        .asString())
                .isEqualTo("KB-001");

        await().atMost(WAIT).until(() -> saga.publishedTypes(orderId).contains("OrderConfirmed"));
        List<ConsumerRecord<String, byte[]>> published = saga.published(orderId);
        assertThat(published)
                .extracting(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                .containsExactly("OrderPlaced", "OrderConfirmed");
        assertThat(published)
                .extracting(r -> RawKafka.header(r, EventHeaders.CORRELATION_ID))
                .containsOnly(orderId.toString());
        // Placed is version 1; the three facts it recorded are 2 to 4; its confirmation is 5.
        assertThat(published)
                .extracting(r -> RawKafka.header(r, EventHeaders.AGGREGATE_VERSION))
                .containsExactly("1", "5");
        ConsumerRecord<String, byte[]> confirmed = published.get(1);
        assertThat(RawKafka.header(confirmed, EventHeaders.CAUSATION_ID))
                .isEqualTo(scheduled.eventId().toString());
        assertThat(((OrderConfirmed) saga.decode(confirmed)).getTrackingNumber())
                .isEqualTo("JD" + orderId);
        // One subscription reads the three topics; each topic's facts stay in the inbox under the name they had when
        // it had a subscription of its own, so the rows written before the merge go on counting.
        assertThat(jdbc.sql("SELECT event_id || ' ' || consumer FROM processed_events WHERE event_id IN (?, ?, ?)")
                        .params(reserved.eventId(), authorized.eventId(), scheduled.eventId())
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder(
                        reserved.eventId() + " order-service",
                        authorized.eventId() + " order-service-payments",
                        scheduled.eventId() + " order-service-shipments");
    }

    @Test
    void aDuplicateDeliveryAndARepeatedFactChangeNothing() {
        UUID orderId = saga.place();
        Envelope reserved = saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        saga.redeliver(orderId, Topics.INVENTORY, stockReserved(orderId), reserved);
        saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        Envelope authorized = saga.deliver(orderId, Topics.PAYMENTS, paymentAuthorized(orderId), reserved);
        saga.redeliver(orderId, Topics.PAYMENTS, paymentAuthorized(orderId), authorized);
        Envelope scheduled = saga.deliver(orderId, Topics.SHIPMENTS, shipmentScheduled(orderId), authorized);
        saga.redeliver(orderId, Topics.SHIPMENTS, shipmentScheduled(orderId), scheduled);

        await().atMost(WAIT).until(() -> saga.status(orderId).equals("CONFIRMED"));
        // The last duplicates are behind the confirming record on their partitions: once a later marker is through,
        // they were handled too.
        UUID marker = saga.place();
        saga.deliver(marker, Topics.INVENTORY, stockReserved(marker), null);
        await().atMost(WAIT).until(() -> saga.status(marker).equals("RESERVED"));

        assertThat(saga.order(orderId).path("version").asInt()).isEqualTo(5);
        assertThat(saga.publishedTypes(orderId)).containsExactly("OrderPlaced", "OrderConfirmed");
    }

    @Test
    void aCustomerCancelsAPlacedOrderAndItEndsCancelledOnceStockAndPaymentAnswered() {
        UUID orderId = saga.place();

        HttpResponse<String> cancelled = saga.cancel(orderId);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(saga.json(cancelled).path("status").asString()).isEqualTo("CANCELLING");
        assertThat(saga.cancel(orderId).statusCode()).as("asking twice").isEqualTo(200);

        await().atMost(WAIT).until(() -> saga.publishedTypes(orderId).contains("OrderCancellationRequested"));
        ConsumerRecord<String, byte[]> request = saga.published(orderId).get(1);
        assertThat(((OrderCancellationRequested) saga.decode(request)).getReason())
                .isEqualTo(CancellationReason.CUSTOMER_REQUEST);
        assertThat(RawKafka.header(request, EventHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());

        Envelope reserved = saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        saga.deliver(orderId, Topics.INVENTORY, stockReleased(orderId, ReleaseReason.ORDER_CANCELLED), reserved);
        saga.deliver(
                orderId,
                Topics.PAYMENTS,
                new PaymentVoided(orderId.toString(), "order cancelled", Instant.now()),
                null);

        await().atMost(WAIT).until(() -> saga.status(orderId).equals("CANCELLED"));
        await().atMost(WAIT).until(() -> saga.publishedTypes(orderId).contains("OrderCancelled"));
        assertThat(saga.order(orderId).path("statusReason").asString()).isEqualTo("cancelled by the customer");
    }

    @Test
    void aPaidOrderIsCancelledOnlyAfterItsRefundAndAShippedOneNotAtAll() {
        UUID paid = saga.place();
        Envelope reserved = saga.deliver(paid, Topics.INVENTORY, stockReserved(paid), null);
        saga.deliver(paid, Topics.PAYMENTS, paymentAuthorized(paid), reserved);
        await().atMost(WAIT).until(() -> saga.status(paid).equals("PAID"));

        assertThat(saga.cancel(paid).statusCode()).isEqualTo(202);
        saga.deliver(paid, Topics.INVENTORY, stockReleased(paid, ReleaseReason.ORDER_CANCELLED), reserved);
        await().atMost(WAIT).until(() -> saga.order(paid).path("history").size() == 5);
        assertThat(saga.status(paid)).as("the money is not back yet").isEqualTo("CANCELLING");
        saga.deliver(
                paid,
                Topics.PAYMENTS,
                PaymentRefunded.newBuilder()
                        .setOrderId(paid.toString())
                        .setChargeId("ch_" + paid)
                        .setRefundId("re_1")
                        .setAmount(new BigDecimal("20.50"))
                        .setCurrency("EUR")
                        .setRefundedAt(Instant.now())
                        .build(),
                null);
        await().atMost(WAIT).until(() -> saga.status(paid).equals("CANCELLED"));

        UUID shipped = saga.place();
        Envelope shippedReservation = saga.deliver(shipped, Topics.INVENTORY, stockReserved(shipped), null);
        Envelope shippedPayment =
                saga.deliver(shipped, Topics.PAYMENTS, paymentAuthorized(shipped), shippedReservation);
        saga.deliver(shipped, Topics.SHIPMENTS, shipmentScheduled(shipped), shippedPayment);
        await().atMost(WAIT).until(() -> saga.status(shipped).equals("CONFIRMED"));

        HttpResponse<String> refused = saga.cancel(shipped);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(saga.json(refused).path("detail").asString()).contains("shipped", "JD" + shipped);
        assertThat(saga.json(refused).path("orderStatus").asString()).isEqualTo("CONFIRMED");
        assertThat(saga.cancel(UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedRefundParksTheOrderWhereOperatorsListIt() {
        UUID orderId = saga.place();
        Envelope reserved = saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        saga.deliver(orderId, Topics.PAYMENTS, paymentAuthorized(orderId), reserved);
        await().atMost(WAIT).until(() -> saga.status(orderId).equals("PAID"));
        saga.cancel(orderId);

        saga.deliver(
                orderId,
                Topics.PAYMENTS,
                new PaymentRefundFailed(
                        orderId.toString(), "ch_" + orderId, "provider answered HTTP 500", 5, Instant.now()),
                null);

        await().atMost(WAIT).until(() -> saga.status(orderId).equals("COMPENSATION_FAILED"));
        JsonNode parked = saga.json(saga.get("/orders?status=COMPENSATION_FAILED&limit=500"));
        assertThat(parked.path("orders").valueStream().map(o -> o.path("id").asString()))
                .contains(orderId.toString());
        assertThat(parked.path("orders").valueStream().map(o -> o.path("status").asString()))
                .containsOnly("COMPENSATION_FAILED");
        assertThat(saga.order(orderId).path("statusReason").asString()).contains("after 5 attempts");
        await().atMost(WAIT).until(() -> saga.publishedTypes(orderId).contains("OrderCompensationFailed"));
        await().atMost(WAIT)
                .until(() -> meters.get("orderflow.saga.orders")
                                .tag("status", "COMPENSATION_FAILED")
                                .gauge()
                                .value()
                        >= 1);
        assertThat(saga.get("/actuator/prometheus").body())
                .containsPattern("orderflow_saga_orders\\{status=\"COMPENSATION_FAILED\"} [1-9]")
                .contains("orderflow_saga_orders{status=\"CONFIRMED\"}", "orderflow_saga_oldest_open_seconds");
    }

    @Test
    void listingByStatusRefusesAnUnknownStatusOrLimit() {
        HttpResponse<String> unknown = saga.get("/orders?status=SHIPPED");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(saga.json(unknown).path("detail").asString()).contains("SHIPPED", "COMPENSATION_FAILED");
        assertThat(saga.get("/orders?limit=0").statusCode()).isEqualTo(400);
        assertThat(saga.get("/orders?limit=lots").statusCode()).isEqualTo(400);
    }

    @Test
    void ofTwoConcurrentWritersOneWinsAndTheOtherDecidesAgainOnTheNewerOrder() throws Exception {
        UUID orderId = saga.place();
        double retriedBefore =
                meters.counter("orderflow.orders.concurrent.updates").count();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CountDownLatch firstAppended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            Order order = store.load(orderId).orElseThrow();
            order.stockReserved(Instant.now());
            store.append(order);
            firstAppended.countDown();
            awaitLatch(release);
        }));
        assertThat(firstAppended.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(
                () -> orders.cancel(orderId).order().version());
        // The second writer loaded version 1 too and now waits on the first one's uncommitted version 2.
        await().atMost(WAIT).until(() -> waitingOnALock() > 0);
        release.countDown();
        first.get(30, TimeUnit.SECONDS);

        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(meters.counter("orderflow.orders.concurrent.updates").count())
                .isEqualTo(retriedBefore + 1);
        assertThat(saga.order(orderId)
                        .path("history")
                        .valueStream()
                        .map(e -> e.path("type").asString())
                        .toList())
                .containsExactly("Placed", "StockReserved", "CancellationRequested");

        Order stale = transaction.execute(status -> store.load(orderId).orElseThrow());
        Order racing = transaction.execute(status -> store.load(orderId).orElseThrow());
        stale.stockReleased(Instant.now());
        racing.paymentVoided(Instant.now());
        transaction.executeWithoutResult(status -> store.append(racing));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> transaction.executeWithoutResult(status -> store.append(stale)))
                .isInstanceOf(ConcurrentOrderUpdateException.class)
                .hasMessageContaining("after version 3");
    }

    @Test
    void aSnapshotIsKeptEveryFewEventsAndLoadingFromItGivesTheReplayedOrder() {
        UUID orderId = saga.place();
        Envelope reserved = saga.deliver(orderId, Topics.INVENTORY, stockReserved(orderId), null);
        Envelope authorized = saga.deliver(orderId, Topics.PAYMENTS, paymentAuthorized(orderId), reserved);
        saga.deliver(orderId, Topics.SHIPMENTS, shipmentScheduled(orderId), authorized);
        await().atMost(WAIT).until(() -> saga.status(orderId).equals("CONFIRMED"));

        Integer snapshotVersion = jdbc.sql("SELECT version FROM order_snapshots WHERE order_id = ?")
                .param(orderId)
                .query(Integer.class)
                .single();
        assertThat(snapshotVersion).isBetween(3, 5);
        Order loaded = new TransactionTemplate(transactions)
                .execute(status -> store.load(orderId).orElseThrow());
        Order replayed = Order.replay(
                orderId,
                java.util.Optional.empty(),
                store.history(orderId).stream()
                        .map(io.orderflow.order.application.RecordedEvent::event)
                        .toList());
        assertThat(loaded.snapshot()).isEqualTo(replayed.snapshot());

        // A snapshot of an older shape is not trusted: the order is replayed from its events instead.
        jdbc.sql("UPDATE order_snapshots SET format = 0, state = '{}' WHERE order_id = ?")
                .param(orderId)
                .update();
        Order withoutSnapshot = new TransactionTemplate(transactions)
                .execute(status -> store.load(orderId).orElseThrow());
        assertThat(withoutSnapshot.snapshot()).isEqualTo(replayed.snapshot());
    }

    private int waitingOnALock() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'INSERT INTO order_events%'")
                .query(Integer.class)
                .single();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static StockReserved stockReserved(UUID orderId) {
        return StockReserved.newBuilder()
                .setOrderId(orderId.toString())
                .setCustomerId("c-1")
                .setCurrency("EUR")
                .setTotalAmount(new BigDecimal("20.50"))
                .setLines(List.of(new ReservedLine("KB-001", 2)))
                .setReservedAt(Instant.now())
                .build();
    }

    static StockReleased stockReleased(UUID orderId, ReleaseReason reason) {
        return new StockReleased(orderId.toString(), reason, List.of(new ReservedLine("KB-001", 2)), Instant.now());
    }

    static PaymentAuthorized paymentAuthorized(UUID orderId) {
        return PaymentAuthorized.newBuilder()
                .setOrderId(orderId.toString())
                .setCustomerId("c-1")
                .setAmount(new BigDecimal("20.50"))
                .setCurrency("EUR")
                .setChargeId("ch_" + orderId)
                .setAuthorizedAt(Instant.now())
                .build();
    }

    static ShipmentScheduled shipmentScheduled(UUID orderId) {
        return new ShipmentScheduled(orderId.toString(), "DHL", "JD" + orderId, Instant.now());
    }
}
