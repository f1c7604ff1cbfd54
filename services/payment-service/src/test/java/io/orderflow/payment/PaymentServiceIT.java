package io.orderflow.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.RejectionReason;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.ShortLine;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.CancellationReason;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefundFailed;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import io.orderflow.payment.application.PaymentRepository;
import io.orderflow.provider.PaymentProviderServer;
import io.orderflow.provider.ProviderSwitches;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * payment-service on the real broker and PostgreSQL, against the simulated provider over HTTP: each reserved order
 * is charged once, whatever is delivered twice and whatever the provider does.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + PaymentServiceApplication.CONFIG_NAME,
            "payment.gateway.timeout=500ms",
            "payment.gateway.backoff=50ms",
            "payment.gateway.window=4",
            "payment.gateway.open-for=1s",
            "payment.refunds.max-attempts=3",
            "payment.refunds.backoff=50ms",
            "orderflow.eventing.consumer.initial-backoff=50ms",
            "orderflow.eventing.consumer.max-backoff=500ms",
            "orderflow.eventing.lag.interval=300ms",
            "orderflow.eventing.lag.max-behind=2s"
        })
class PaymentServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONSUMER = "payment-service";
    private static final PaymentProviderServer provider = PaymentProviderServer.start(0);
    private static final RawKafka records = new RawKafka(TestStack.get().bootstrapServers());

    @Autowired
    EventSerdes serdes;

    @Autowired
    CircuitBreaker breaker;

    @Autowired
    EventConsumerContainers consumers;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PaymentRepository paymentRepository;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    List<EventConsumer> eventConsumers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("payment.gateway.url", provider::url);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
        records.close();
    }

    @AfterEach
    void healthyProviderAndClosedCircuit() {
        provider.behave(ProviderSwitches.healthy());
        // A breaker left half-open waits for a probe call that may never come once a test is over.
        await().atMost(WAIT).until(() -> breaker.getState() != CircuitBreaker.State.OPEN);
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToClosedState();
        }
        await().atMost(WAIT)
                .until(() ->
                        breaker.getState() == CircuitBreaker.State.CLOSED && !consumers.isPauseRequested(CONSUMER));
    }

    @Test
    void itsApiDocumentIsValidOpenApiAndDescribesEveryEndpointItServes() {
        ApiDocsCheck.Service.at(
                        "http://127.0.0.1:" + port, TestStack.get().tokens().operator())
                .assertDescribesItself("GET /payments/{orderId}", "GET /ops/lag");
    }

    @Test
    void itsEventDocumentIsValidAsyncApiAndDescribesWhatItWritesAndReads() {
        AsyncApiCheck.Service document = AsyncApiCheck.Service.at("http://127.0.0.1:" + port);

        document.assertDescribes(
                new EventInterface(
                        "payment-service",
                        List.of(Topics.PAYMENTS),
                        eventConsumers.stream().map(Subscription::of).toList()),
                TestStack.get().bootstrapServers());
        assertThat(document.groups()).containsExactlyInAnyOrder("payment-service", "payment-service-orders");
    }

    @Test
    void aReservedOrderIsChargedOnceAndTheAuthorizationFollowsTheSaga() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> reserved = stockReserved(orderId, "42.50");
        records.send(reserved);

        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        assertThat(RawKafka.header(answer, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentAuthorized");
        assertThat(RawKafka.header(answer, EventHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());
        assertThat(RawKafka.header(answer, EventHeaders.CAUSATION_ID))
                .isEqualTo(header(reserved, EventHeaders.EVENT_ID));
        PaymentAuthorized authorized =
                (PaymentAuthorized) serdes.of(Topics.PAYMENTS).fromBytes("PaymentAuthorized", answer.value());
        assertThat(authorized.getAmount()).isEqualByComparingTo("42.50");
        assertThat(authorized.getCurrency()).isEqualTo("EUR");
        assertThat(chargesAtTheProvider(orderId)).isEqualTo(1);
        assertThat(authorized.getChargeId()).isEqualTo(storedChargeId(orderId));

        HttpResponse<String> shown = get("/payments/" + orderId);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body())
                .contains("\"status\":\"AUTHORIZED\"", "\"amount\":\"42.50\"", authorized.getChargeId());
        assertThat(get("/payments/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/payments/not-a-uuid").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) {
        return new TestHttp("http://127.0.0.1:" + port)
                .as(TestStack.get().tokens()::operator)
                .get(path);
    }

    @Test
    void aDeclineIsAnAnswerNotAFailure() {
        provider.behave(new ProviderSwitches(0, 1.0, 0, 0, false));
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "9.99"));

        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        PaymentDeclined declined = (PaymentDeclined)
                serdes.of(Topics.PAYMENTS).fromBytes(RawKafka.header(answer, EventHeaders.EVENT_TYPE), answer.value());
        assertThat(declined.getReason()).isEqualTo("insufficient_funds");
        assertThat(deadLetters(orderId)).isEmpty();
    }

    @Test
    void deliveredTwiceOrAskedTwiceTheOrderIsChargedOnce() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> reserved = stockReserved(orderId, "15.00");
        records.sendAll(List.of(reserved, reserved, stockReserved(orderId, "15.00")));

        awaitPaymentEvents(orderId, 1);
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> records.readAll(Topics.PAYMENTS.name(), RawKafka.keyed(orderId.toString()))
                                .size()
                        == 1);
        assertThat(chargesAtTheProvider(orderId)).isEqualTo(1);
    }

    @Test
    void aGarbageAnswerIsRetriedWithTheSameKeyAndTheHiddenChargeIsFound() {
        provider.behave(new ProviderSwitches(0, 0, 0, 1.0, false));
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "7.00"));

        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        assertThat(RawKafka.header(answer, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentAuthorized");
        assertThat(chargesAtTheProvider(orderId))
                .as("the garbage answer hid a charge; asking again found it")
                .isEqualTo(1);
    }

    @Test
    void aProviderSlowerThanTheTimeoutIsAskedAgainWithTheSameKeyAndChargesOnce() {
        // Answers take 800 ms, the timeout is 500 ms: every attempt times out while the provider charges anyway.
        provider.behave(new ProviderSwitches(800, 0, 0, 0, false));
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "33.00"));

        await().atMost(WAIT).until(() -> chargesAtTheProvider(orderId) == 1);
        assertThat(paymentEvents(orderId)).as("a timed-out call is no payment").isEmpty();
        provider.behave(ProviderSwitches.healthy());

        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        assertThat(RawKafka.header(answer, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentAuthorized");
        assertThat(chargesAtTheProvider(orderId))
                .as("the charge made during the timeouts, found by its key")
                .isEqualTo(1);
        assertThat(deadLetters(orderId)).isEmpty();
    }

    @Test
    void duringAnOutageTheCircuitOpensTheConsumerPausesAndEveryOrderIsChargedOnceItIsBack() {
        provider.behave(new ProviderSwitches(0, 0, 0, 0, true));
        List<UUID> orders =
                IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();
        records.sendAll(
                orders.stream().map(orderId -> stockReserved(orderId, "20.00")).toList());

        await().atMost(WAIT).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
        await().atMost(WAIT).until(() -> consumers.isPauseRequested(CONSUMER));
        assertThat(orders)
                .allSatisfy(orderId -> assertThat(paymentEvents(orderId)).isEmpty());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                        .contains("resilience4j_circuitbreaker_state{name=\"payment-provider\",state=\"open\"} 1.0"));
        // Paused, the group falls behind: in records at once, then in age past the threshold, which degrades the
        // service's health without taking it out of service.
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(status(health)).isEqualTo("DEGRADED");
        });
        JsonNode lag = groupLag(get("/ops/lag?fresh=true"));
        assertThat(lag.path("records").asLong()).isBetween(1L, (long) orders.size());
        assertThat(lag.path("secondsBehind").asDouble()).isGreaterThan(2.0);
        assertThat(lag.path("partitions")
                        .valueStream()
                        .mapToLong(partition -> partition.path("records").asLong())
                        .sum())
                .isEqualTo(lag.path("records").asLong());
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("orderflow_consumer_lag_records\\{group=\"payment-service\",partition=\"\\d+\","
                        + "topic=\"inventory.events\"} [1-9]");

        provider.behave(ProviderSwitches.healthy());
        for (UUID orderId : orders) {
            awaitPaymentEvents(orderId, 1);
            assertThat(chargesAtTheProvider(orderId)).isEqualTo(1);
            assertThat(deadLetters(orderId))
                    .as("an outage dead-letters nothing")
                    .isEmpty();
        }
        await().atMost(WAIT).until(() -> breaker.getState() == CircuitBreaker.State.CLOSED);
        assertThat(consumers.isPauseRequested(CONSUMER)).isFalse();
        // Resumed, it drains.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(groupLag(get("/ops/lag?fresh=true")).path("records").asLong())
                    .isZero();
            assertThat(status(get("/actuator/health"))).isEqualTo("UP");
        });
    }

    private static String status(HttpResponse<String> health) {
        return JsonMapper.builder()
                .build()
                .readTree(health.body())
                .path("status")
                .asString();
    }

    private static JsonNode groupLag(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode lag = JsonMapper.builder().build().readTree(answer.body());
        assertThat(lag.path("service").asString()).isEqualTo("payment-service");
        return lag.path("groups")
                .valueStream()
                .filter(group -> group.path("group").asString().equals(CONSUMER))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no lag of " + CONSUMER + " in " + answer.body()));
    }

    @Test
    void anOrderCancelledBeforeItsChargeIsVoidedAndNeverChargedAfterwards() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> cancellation = cancellationRequested(orderId);
        records.send(cancellation);

        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        assertThat(RawKafka.header(answer, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentVoided");
        assertThat(RawKafka.header(answer, EventHeaders.CAUSATION_ID))
                .isEqualTo(header(cancellation, EventHeaders.EVENT_ID));
        assertThat(get("/payments/" + orderId).body()).contains("\"status\":\"VOIDED\"");

        // The reservation that raced the cancellation arrives late: it must not charge.
        records.send(stockReserved(orderId, "12.00"));
        UUID marker = UUID.randomUUID();
        records.send(stockReserved(marker, "12.00"));
        awaitPaymentEvents(marker, 1);
        assertThat(chargesAtTheProvider(orderId)).isZero();
        assertThat(paymentEvents(orderId)).hasSize(1);
        await().atMost(WAIT)
                .until(() -> jdbc.sql("SELECT status FROM refunds WHERE order_id = ?")
                        .param(orderId)
                        .query(String.class)
                        .single()
                        .equals("NOTHING_CHARGED"));
    }

    @Test
    void aChargeWhoseAnswerWasLostIsFoundAndRefundedWhenTheOrderIsCancelled() throws Exception {
        UUID orderId = UUID.randomUUID();
        chargeWhoseAnswerACrashLost(orderId, "18.00");

        records.send(cancellationRequested(orderId));

        List<ConsumerRecord<String, byte[]>> answers = awaitPaymentEvents(orderId, 1);
        assertThat(answers)
                .extracting(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                .as("settled once, by the refund: not voided first")
                .containsExactly("PaymentRefunded");
        assertThat(((PaymentRefunded) serdes.of(Topics.PAYMENTS)
                                .fromBytes("PaymentRefunded", answers.get(0).value()))
                        .getAmount())
                .isEqualByComparingTo("18.00");
        assertThat(provider.refundsFor(orderId.toString())).hasSize(1);
        records.send(stockReserved(orderId, "18.00"));
        UUID marker = UUID.randomUUID();
        records.send(stockReserved(marker, "18.00"));
        awaitPaymentEvents(marker, 1);
        assertThat(chargesAtTheProvider(orderId))
                .as("the late reservation charges nothing")
                .isEqualTo(1);
        assertThat(paymentEvents(orderId)).hasSize(1);
    }

    /**
     * What a payment-service killed after the provider's answer and before its commit leaves behind: a charge under
     * the order's key, and nothing recorded here.
     */
    private static void chargeWhoseAnswerACrashLost(UUID orderId, String amount) throws Exception {
        HttpResponse<String> charged = new TestHttp(provider.url())
                .post(
                        "/v1/charges",
                        TestHttp.json(Map.of("reference", orderId.toString(), "amount", amount, "currency", "EUR")),
                        "Idempotency-Key",
                        "order-" + orderId + "-authorize");
        assertThat(charged.statusCode()).isEqualTo(201);
    }

    @Test
    void aRefundGivenUpForALostChargeParksTheOrder() throws Exception {
        // Given a charge whose answer a crash lost, and a provider that fails every refund
        UUID orderId = UUID.randomUUID();
        chargeWhoseAnswerACrashLost(orderId, "21.00");
        provider.behave(new ProviderSwitches(0, 0, 1.0, 0, false));

        // When the order is cancelled
        records.send(cancellationRequested(orderId));

        // Then payment-service's only answer is that the refund failed. order-service, whose order waits in
        // CANCELLING for the payment to be settled, parks it in COMPENSATION_FAILED; an answer that settled the
        // payment first (PaymentVoided) would have let it end CANCELLED, and a final order ignores what follows.
        ConsumerRecord<String, byte[]> answer = awaitPaymentEvents(orderId, 1).get(0);
        assertThat(RawKafka.header(answer, EventHeaders.EVENT_TYPE))
                .as("the order's first payment answer")
                .isEqualTo("PaymentRefundFailed");
        assertThat(RawKafka.header(answer, EventHeaders.CAUSATION_ID)).isNotNull();
        assertThat(jdbc.sql("SELECT status FROM refunds WHERE order_id = ?")
                        .param(orderId)
                        .query(String.class)
                        .single())
                .isEqualTo("FAILED");
        assertThat(paymentEvents(orderId)).hasSize(1);
        assertThat(provider.refundsFor(orderId.toString())).isEmpty();
    }

    @Test
    void aChargeStillInFlightWhenTheOrderIsCancelledIsNeverLeftUnrefunded() {
        // Given a provider slower than the gateway's timeout: every attempt to charge the order times out here, and
        // lands at the provider later all the same
        provider.behave(new ProviderSwitches(4_000, 0, 0, 0, false));
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "44.00"));
        await().atMost(WAIT).until(() -> provider.requestsInFlight() > 0);

        // When the cancellation arrives while the attempts run, and is decided once they have given up
        ProducerRecord<String, byte[]> cancellation = cancellationRequested(orderId);
        records.send(cancellation);
        await().atMost(WAIT)
                .until(() -> jdbc.sql("SELECT count(*) FROM refunds WHERE order_id = ?")
                                .param(orderId)
                                .query(Integer.class)
                                .single()
                        == 1);
        provider.behave(ProviderSwitches.healthy());

        // Then, once every call made for the order has landed, the customer is not out of pocket, and the order's
        // payment is settled by what really happened
        await().atMost(WAIT)
                .until(() -> provider.requestsInFlight() == 0
                        && jdbc.sql("SELECT status FROM refunds WHERE order_id = ?")
                                .param(orderId)
                                .query(String.class)
                                .single()
                                .matches("NOTHING_CHARGED|REFUNDED|FAILED"));
        BigDecimal charged = provider.chargesFor(orderId.toString()).stream()
                .filter(charge -> charge.status().equals("authorized"))
                .map(charge -> charge.amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal refunded = provider.refundsFor(orderId.toString()).stream()
                .map(refund -> refund.amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(charged.subtract(refunded)).as("charged and not refunded").isEqualByComparingTo("0");
        List<ConsumerRecord<String, byte[]>> answers = awaitPaymentEvents(orderId, 1);
        assertThat(answers)
                .extracting(answer -> RawKafka.header(answer, EventHeaders.EVENT_TYPE))
                .singleElement()
                .isIn("PaymentVoided", "PaymentRefunded");
        assertThat(RawKafka.header(answers.get(0), EventHeaders.CAUSATION_ID))
                .isEqualTo(header(cancellation, EventHeaders.EVENT_ID));
    }

    @Test
    void aChargedOrderThatIsCancelledIsRefundedOnceWhateverIsDeliveredTwice() {
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "25.00"));
        awaitPaymentEvents(orderId, 1);

        ProducerRecord<String, byte[]> cancellation = cancellationRequested(orderId);
        records.sendAll(List.of(cancellation, cancellation, cancellationRequested(orderId)));

        ConsumerRecord<String, byte[]> refunded = awaitPaymentEvents(orderId, 2).get(1);
        assertThat(RawKafka.header(refunded, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentRefunded");
        assertThat(RawKafka.header(refunded, EventHeaders.CAUSATION_ID))
                .isEqualTo(header(cancellation, EventHeaders.EVENT_ID));
        assertThat(RawKafka.header(refunded, EventHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());
        PaymentRefunded event =
                (PaymentRefunded) serdes.of(Topics.PAYMENTS).fromBytes("PaymentRefunded", refunded.value());
        assertThat(event.getAmount()).isEqualByComparingTo("25.00");
        assertThat(event.getChargeId()).isEqualTo(storedChargeId(orderId));
        await().during(Duration.ofSeconds(1))
                .atMost(WAIT)
                .until(() -> paymentEvents(orderId).size() == 2);
        assertThat(provider.refundsFor(orderId.toString()))
                .singleElement()
                .satisfies(refund -> assertThat(refund.id()).isEqualTo(event.getRefundId()));
    }

    @Test
    void aRefundThatKeepsFailingIsRetriedThenGivenUpAndReported() {
        UUID orderId = UUID.randomUUID();
        records.send(stockReserved(orderId, "31.00"));
        awaitPaymentEvents(orderId, 1);
        provider.behave(new ProviderSwitches(0, 0, 1.0, 0, false));

        records.send(cancellationRequested(orderId));

        ConsumerRecord<String, byte[]> failed = awaitPaymentEvents(orderId, 2).get(1);
        assertThat(RawKafka.header(failed, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentRefundFailed");
        PaymentRefundFailed event =
                (PaymentRefundFailed) serdes.of(Topics.PAYMENTS).fromBytes("PaymentRefundFailed", failed.value());
        assertThat(event.getAttempts()).isEqualTo(3);
        assertThat(event.getReason()).contains("payment provider failed");
        assertThat(jdbc.sql("SELECT status FROM refunds WHERE order_id = ?")
                        .param(orderId)
                        .query(String.class)
                        .single())
                .isEqualTo("FAILED");
        assertThat(provider.refundsFor(orderId.toString())).isEmpty();
    }

    @Test
    void aRefundWhoseBookkeepingAlwaysFailsHoldsUpNoOtherRefundAndIsShownToOperators() throws Exception {
        // Given a charged order, and a charge whose answer a crash lost of an amount with three decimals: the
        // provider refunds it, but this service's two-decimal PaymentRefunded can never be written for it
        UUID charged = UUID.randomUUID();
        records.send(stockReserved(charged, "26.00"));
        awaitPaymentEvents(charged, 1);
        UUID unbookable = UUID.randomUUID();
        provider.behave(ProviderSwitches.takingThreeDecimals());
        chargeWhoseAnswerACrashLost(unbookable, "18.005");
        provider.behave(ProviderSwitches.healthy());

        // When the unbookable order is cancelled, its refund made (and its bookkeeping failed) at least once, and
        // then the charged order is cancelled: its refund is due after the other, in the same round of the worker
        records.send(cancellationRequested(unbookable));
        await().atMost(WAIT)
                .until(() -> provider.refundsFor(unbookable.toString()).size() == 1);
        records.send(cancellationRequested(charged));

        // Then the charged order is refunded all the same
        await("the other order's refund, behind the failing one")
                .atMost(Duration.ofSeconds(30))
                .until(() -> paymentEvents(charged).size() >= 2);
        assertThat(RawKafka.header(paymentEvents(charged).get(1), EventHeaders.EVENT_TYPE))
                .isEqualTo("PaymentRefunded");
        assertThat(provider.refundsFor(charged.toString())).hasSize(1);
        // and the failing one is retried, counted and given up where operators see it, never refunded twice
        ConsumerRecord<String, byte[]> failed =
                awaitPaymentEvents(unbookable, 1).get(0);
        assertThat(RawKafka.header(failed, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentRefundFailed");
        PaymentRefundFailed event =
                (PaymentRefundFailed) serdes.of(Topics.PAYMENTS).fromBytes("PaymentRefundFailed", failed.value());
        assertThat(event.getAttempts()).isEqualTo(3);
        assertThat(event.getReason()).contains("scale");
        assertThat(jdbc.sql("SELECT status || ' ' || attempts || ' ' || last_error FROM refunds WHERE order_id = ?")
                        .param(unbookable)
                        .query(String.class)
                        .single())
                .startsWith("FAILED 3 ")
                .contains("scale");
        assertThat(provider.refundsFor(unbookable.toString())).hasSize(1);
        assertThat(get("/actuator/prometheus").body()).contains("orderflow_payment_refunds_failing");
    }

    @Test
    void aBatchOfCancellationsAndABatchOfChargesLockTheSameOrdersInOneOrder() throws Exception {
        // Given two orders whose ids sort one way as text (the record keys) and the other way as signed numbers,
        // both locked by someone else, so that each consumer stops at the first lock it asks for.
        UUID zeroFirst = new UUID(
                ThreadLocalRandom.current().nextLong() >>> 4,
                ThreadLocalRandom.current().nextLong() >>> 4);
        UUID fFirst = new UUID(
                ThreadLocalRandom.current().nextLong() | 0xF000_0000_0000_0000L,
                ThreadLocalRandom.current().nextLong() >>> 4);
        try (HeldLocks held = holdPaymentLocks(zeroFirst, fFirst)) {

            // When both orders are cancelled in one batch and reserved in one batch of the other consumer
            records.sendAll(List.of(
                    onPartitionZero(cancellationRequested(zeroFirst)), onPartitionZero(cancellationRequested(fFirst))));
            records.sendAll(List.of(
                    onPartitionZero(stockReserved(zeroFirst, "5.00")), onPartitionZero(stockReserved(fFirst, "5.00"))));

            // Then both wait for the same order's lock: had each taken the other's first, they would deadlock
            await().atMost(WAIT).until(() -> lockWaits().size() == 2);
            List<String> waits = lockWaits();
            assertThat(waits.get(0)).as("the locks the two consumers wait for").isEqualTo(waits.get(1));
        }
        awaitPaymentEvents(zeroFirst, 1);
        awaitPaymentEvents(fFirst, 1);
    }

    @Test
    void aChargingBatchSplitByOtherEventsLocksAllItsOrdersFirstLikeTheCancellations() throws Exception {
        // Given two orders whose ids sort one way as text (the record keys) and the other way as lock keys, both
        // locked by someone else, and an event of another type whose key sorts between them
        UUID zeroFirst = new UUID(
                ThreadLocalRandom.current().nextLong() >>> 4,
                ThreadLocalRandom.current().nextLong() >>> 4);
        UUID fFirst = new UUID(
                ThreadLocalRandom.current().nextLong() | 0xF000_0000_0000_0000L,
                ThreadLocalRandom.current().nextLong() >>> 4);
        UUID between = new UUID(
                (ThreadLocalRandom.current().nextLong() >>> 4) | 0x8000_0000_0000_0000L,
                ThreadLocalRandom.current().nextLong());
        try (HeldLocks held = holdPaymentLocks(zeroFirst, fFirst)) {

            // When both orders are cancelled in one batch, and reserved in one batch of the charging consumer that
            // the other event splits into two runs of StockReserved (the listener hands runs over in key order)
            records.sendAll(List.of(
                    onPartitionZero(cancellationRequested(zeroFirst)), onPartitionZero(cancellationRequested(fFirst))));
            records.sendAll(List.of(
                    onPartitionZero(stockReserved(zeroFirst, "6.00")),
                    onPartitionZero(stockRejected(between)),
                    onPartitionZero(stockReserved(fFirst, "6.00"))));

            // Then the charging consumer still takes all its locks first, in the cancellations' order: both wait for
            // the same order's lock. Locking run by run, it would wait for the first key's order while the
            // cancellations hold the other: a lock cycle once the holder lets go.
            await().atMost(WAIT).until(() -> lockWaits().size() == 2);
            List<String> waits = lockWaits();
            assertThat(waits.get(0)).as("the locks the two consumers wait for").isEqualTo(waits.get(1));
        }
        awaitPaymentEvents(zeroFirst, 1);
        awaitPaymentEvents(fFirst, 1);
    }

    /** The advisory locks (single 64-bit key: the payments' own) that sessions of this database wait for. */
    private List<String> lockWaits() {
        return jdbc.sql("""
                        SELECT classid || ':' || objid FROM pg_locks
                        WHERE locktype = 'advisory' AND objsubid = 1 AND NOT granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""").query(String.class).list();
    }

    private HeldLocks holdPaymentLocks(UUID... orderIds) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(
                () -> transactions.executeWithoutResult(status -> {
                    paymentRepository.lockAll(List.of(orderIds));
                    locked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }),
                "payment-lock-holder");
        holder.start();
        assertThat(locked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return () -> {
            release.countDown();
            holder.join();
        };
    }

    /** Locks held by a test until closed. */
    private interface HeldLocks extends AutoCloseable {
        @Override
        void close() throws InterruptedException;
    }

    /** One partition for several orders, so that one consumer thread reads them in one poll. */
    private static ProducerRecord<String, byte[]> onPartitionZero(ProducerRecord<String, byte[]> record) {
        return new ProducerRecord<>(record.topic(), 0, record.key(), record.value(), record.headers());
    }

    private ProducerRecord<String, byte[]> cancellationRequested(UUID orderId) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.ORDERS.name(),
                orderId.toString(),
                serdes.of(Topics.ORDERS)
                        .toBytes(new OrderCancellationRequested(
                                orderId.toString(), CancellationReason.CUSTOMER_REQUEST, Instant.now())));
        Envelope.first("OrderCancellationRequested", orderId.toString(), "order-service", Instant.now())
                .writeTo(record.headers());
        return record;
    }

    private ProducerRecord<String, byte[]> stockReserved(UUID orderId, String total) {
        StockReserved event = StockReserved.newBuilder()
                .setOrderId(orderId.toString())
                .setCustomerId("customer-1")
                .setCurrency("EUR")
                .setTotalAmount(new BigDecimal(total))
                .setLines(List.of(new ReservedLine("KB-001", 1)))
                .setReservedAt(Instant.now())
                .build();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.INVENTORY.name(),
                orderId.toString(),
                serdes.of(Topics.INVENTORY).toBytes(event));
        Envelope.first("StockReserved", orderId.toString(), "test", Instant.now())
                .writeTo(record.headers());
        return record;
    }

    private ProducerRecord<String, byte[]> stockRejected(UUID orderId) {
        StockRejected event = new StockRejected(
                orderId.toString(),
                RejectionReason.INSUFFICIENT_STOCK,
                List.of(new ShortLine("KB-001", 1, 0)),
                Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.INVENTORY.name(),
                orderId.toString(),
                serdes.of(Topics.INVENTORY).toBytes(event));
        Envelope.first("StockRejected", orderId.toString(), "test", Instant.now())
                .writeTo(record.headers());
        return record;
    }

    private List<ConsumerRecord<String, byte[]>> paymentEvents(UUID orderId) {
        return records.readAll(Topics.PAYMENTS.name(), RawKafka.keyed(orderId.toString()));
    }

    private List<ConsumerRecord<String, byte[]>> awaitPaymentEvents(UUID orderId, int count) {
        await().atMost(WAIT).until(() -> paymentEvents(orderId).size() >= count);
        return paymentEvents(orderId);
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(UUID orderId) {
        return records.readAll(Topics.INVENTORY.deadLetterTopic(), RawKafka.keyed(orderId.toString()));
    }

    private int chargesAtTheProvider(UUID orderId) {
        return provider.chargesFor(orderId.toString()).size();
    }

    private String storedChargeId(UUID orderId) {
        return jdbc.sql("SELECT charge_id FROM payments WHERE order_id = ?")
                .param(orderId)
                .query(String.class)
                .single();
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
