package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.apidocs.testing.NodeScript;
import io.orderflow.auth.Realm;
import io.orderflow.contracts.Topics;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.KafkaBroker;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.SchemaRegistryProcess;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.devstack.StackRealm;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.envelope.Traceparent;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.provider.PaymentProviderServer;
import io.orderflow.provider.ProviderSwitches;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first slice of the saga across real processes: order-service and inventory-service each in its own JVM, on
 * the embedded broker and PostgreSQL, killed and stopped the way production does it.
 */
class SagaEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Map<ServiceName, ServiceProcess> services = new EnumMap<>(ServiceName.class);
    private static DevStack stack;
    private static SchemaRegistryProcess registry;
    private static PaymentProviderServer paymentProvider;
    private static Map<String, String> environment;
    private static Path logs;
    private static OrdersClient client;
    private static RawKafka records;

    @BeforeAll
    static void startServices() throws Exception {
        stack = TestStack.get();
        logs = Files.createTempDirectory("orderflow-e2e-logs-");
        // The registry in a process of its own, as in production; its own topic keeps it apart from the
        // registry embedded in this JVM's test stack.
        registry = SchemaRegistryProcess.start(
                stack.bootstrapServers(), "_schemas_e2e", logs.resolve("schema-registry.log"), WAIT);
        paymentProvider = PaymentProviderServer.start(0);
        environment = new java.util.HashMap<>(stack.serviceEnvironment());
        environment.put(StackSettings.SCHEMA_REGISTRY_URL, registry.url());
        environment.put("PAYMENT_PROVIDER_URL", paymentProvider.url());
        // Restarts under load take longer than the default 30 s here: the tests that restart services are about
        // losing and duplicating nothing, not about deadlines (order-service's own tests cover those).
        environment.put("ORDER_PAYMENT_TIMEOUT", "3m");
        Map<ServiceName, Integer> ports = new EnumMap<>(ServiceName.class);
        for (ServiceName name : ServiceName.values()) {
            ports.put(name, Ports.free());
        }
        environment.putAll(ServiceName.urls(ports));
        for (ServiceName name : ServiceName.values()) {
            services.put(name, ServiceProcess.start(name, ports.get(name), environmentOf(name), logs, stack.tokens()));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitHealthy(WAIT);
        }
        client = new OrdersClient(
                services.get(ServiceName.ORDER).baseUrl(),
                services.get(ServiceName.INVENTORY).baseUrl(),
                stack.tokens());
        records = new RawKafka(stack.bootstrapServers());
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        for (ServiceProcess service : services.values()) {
            service.stop(Duration.ofSeconds(30));
        }
        if (records != null) {
            records.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (paymentProvider != null) {
            paymentProvider.close();
        }
    }

    @Test
    void anOrderIsConfirmedAcrossFourServicesAndAShortOrderIsRejectedWithStockUnchanged() throws Exception {
        int keyboards = client.available("KB-001");
        int chairs = client.available("CH-005");

        String confirmed = client.place(key(), "KB-001", 2);
        await().atMost(WAIT).until(() -> client.status(confirmed).equals("CONFIRMED"));
        assertThat(client.available("KB-001")).isEqualTo(keyboards - 2);
        assertThat(paymentProvider.chargesFor(confirmed)).as("charged once").hasSize(1);
        assertSagaHistory(historyTypes(confirmed));

        String rejected = client.place(key(), "CH-005", 10_000);
        await().atMost(WAIT).until(() -> client.status(rejected).equals("REJECTED"));
        assertThat(client.order(rejected).path("statusReason").asString()).contains("INSUFFICIENT_STOCK", "CH-005");
        assertThat(client.available("CH-005")).isEqualTo(chairs);
        assertThat(client.statusOf(services.get(ServiceName.PAYMENT).baseUrl() + "/payments/" + rejected))
                .as("a rejected order is never charged")
                .isEqualTo(404);
        assertThat(paymentProvider.chargesFor(rejected)).isEmpty();
        assertThat(client.statusOf(services.get(ServiceName.SHIPPING).baseUrl() + "/shipments/" + rejected))
                .isEqualTo(404);

        String views = services.get(ServiceName.ORDER_VIEW).baseUrl();
        JsonNode confirmedView = client.view(views, confirmed);
        assertThat(confirmedView.path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmedView
                        .path("timeline")
                        .valueStream()
                        .map(entry -> entry.path("service").asString()))
                .contains("order-service", "inventory-service", "payment-service", "shipping-service");
        assertThat(client.view(views, rejected).path("status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void everyEndpointOfEveryServiceRefusesACallerWithoutATokenOrWithoutItsRole() throws Exception {
        HttpAccess access = new HttpAccess(stack);
        SoftAssertions softly = new SoftAssertions();
        for (ServiceName name : ServiceName.values()) {
            if (name != ServiceName.DASHBOARD) {
                access.everyEndpointRefusesStrangers(
                        name.displayName(), services.get(name).baseUrl(), softly);
            }
        }
        // The dashboard logs people in (its own tests walk it): its API refuses strangers and customers, its page
        // sends a stranger to the login.
        String dashboard = services.get(ServiceName.DASHBOARD).baseUrl();
        String customer = access.token(HttpAccess.Caller.CUSTOMER);
        for (String path : List.of("/api/snapshot", "/api/dlq", "/api/stream", "/actuator/prometheus")) {
            softly.assertThat(HttpAccess.get(dashboard, path, Optional.empty()).status())
                    .as("dashboard " + path + " without credentials")
                    .isEqualTo(401);
            softly.assertThat(HttpAccess.get(dashboard, path, Optional.of(customer))
                            .status())
                    .as("dashboard " + path + " as a customer")
                    .isEqualTo(403);
        }
        softly.assertThat(HttpAccess.send(dashboard, "POST", "/api/dlq/replay", Optional.empty())
                        .status())
                .as("a replay without credentials")
                .isEqualTo(401);
        RawHttp.Answer page = HttpAccess.get(dashboard, "/", Optional.empty());
        softly.assertThat(page.status())
                .as("the page without a session: " + page)
                .isEqualTo(302);
        softly.assertAll();
    }

    @Test
    void expiredForgedForeignAndMisdirectedTokensAreRefusedWithA401ThatSaysWhy() throws Exception {
        Map<String, String> bad = new HttpAccess(stack).badTokens();
        Map<ServiceName, String> doors = Map.of(
                ServiceName.ORDER, "/orders",
                ServiceName.INVENTORY, "/stock",
                ServiceName.PAYMENT, "/payments/" + UUID.randomUUID(),
                ServiceName.ORDER_VIEW, "/views/revenue");
        SoftAssertions softly = new SoftAssertions();
        for (var token : bad.entrySet()) {
            for (var door : doors.entrySet()) {
                RawHttp.Answer answer = HttpAccess.get(
                        services.get(door.getKey()).baseUrl(), door.getValue(), Optional.of(token.getValue()));
                String what = "a token " + token.getKey() + " at "
                        + door.getKey().displayName() + " " + door.getValue() + " answered " + answer;
                softly.assertThat(answer.status()).as(what).isEqualTo(401);
                softly.assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
                softly.assertThat(JsonMapper.builder()
                                .build()
                                .readTree(answer.body())
                                .path("detail")
                                .asString())
                        .as(what)
                        .startsWith("the token");
            }
        }
        softly.assertAll();
    }

    @Test
    void customersSeeAndCancelOnlyTheirOwnOrdersTheStorefrontActsForThemAndOperatorsSeeEverything() throws Exception {
        HttpAccess access = new HttpAccess(stack);
        String alice = access.token(HttpAccess.Caller.CUSTOMER);
        String bob = stack.tokens().customer("bob");
        String storefront = access.token(HttpAccess.Caller.STOREFRONT);
        String operator = access.token(HttpAccess.Caller.OPERATOR);
        String orders = services.get(ServiceName.ORDER).baseUrl();
        String order = "{\"customerId\":\"%s\",\"currency\":\"EUR\",\"items\":[{\"productId\":\"MS-002\","
                + "\"quantity\":1}]}";

        RawHttp.Answer own = placeAs(alice, order.formatted("alice"));
        assertThat(own.status()).as("alice places her own order: " + own).isEqualTo(201);
        String aliceOrder =
                JsonMapper.builder().build().readTree(own.body()).path("id").asString();
        RawHttp.Answer asBob = placeAs(alice, order.formatted("bob"));
        assertThat(asBob.status()).as("alice places an order as bob: " + asBob).isEqualTo(403);
        assertThat(asBob.body()).contains("only as yourself");
        RawHttp.Answer forBob = placeAs(storefront, order.formatted("bob"));
        assertThat(forBob.status())
                .as("the storefront places bob's order: " + forBob)
                .isEqualTo(201);
        String bobOrder =
                JsonMapper.builder().build().readTree(forBob.body()).path("id").asString();
        RawHttp.Answer byOperator = placeAs(operator, order.formatted("alice"));
        assertThat(byOperator.status())
                .as("an operator places no orders: " + byOperator)
                .isEqualTo(403);
        await().atMost(WAIT).until(() -> client.status(aliceOrder).equals("CONFIRMED"));
        long version = client.order(aliceOrder).path("version").asLong();

        String payments = services.get(ServiceName.PAYMENT).baseUrl();
        String shipping = services.get(ServiceName.SHIPPING).baseUrl();
        String views = services.get(ServiceName.ORDER_VIEW).baseUrl();
        String inventory = services.get(ServiceName.INVENTORY).baseUrl();
        record Expected(String caller, String token, String method, String url, int status) {}
        List<Expected> matrix = List.of(
                new Expected("alice", alice, "GET", orders + "/orders/" + aliceOrder, 200),
                new Expected("alice", alice, "GET", payments + "/payments/" + aliceOrder, 200),
                new Expected("alice", alice, "GET", shipping + "/shipments/" + aliceOrder, 200),
                new Expected(
                        "alice", alice, "GET", views + "/views/orders/" + aliceOrder + "?minVersion=" + version, 200),
                new Expected("alice", alice, "GET", views + "/views/customers/alice/orders", 200),
                new Expected("alice", alice, "GET", inventory + "/stock", 200),
                new Expected("alice", alice, "GET", orders + "/orders/" + bobOrder, 404),
                new Expected("alice", alice, "GET", orders + "/orders", 403),
                new Expected("bob", bob, "GET", orders + "/orders/" + aliceOrder, 404),
                new Expected("bob", bob, "POST", orders + "/orders/" + aliceOrder + "/cancel", 404),
                new Expected("bob", bob, "GET", payments + "/payments/" + aliceOrder, 404),
                new Expected("bob", bob, "GET", shipping + "/shipments/" + aliceOrder, 404),
                new Expected("bob", bob, "GET", views + "/views/orders/" + aliceOrder, 404),
                new Expected("bob", bob, "GET", views + "/views/customers/alice/orders", 403),
                new Expected("bob", bob, "GET", views + "/views/revenue", 403),
                new Expected("bob", bob, "PUT", inventory + "/stock/MS-002/prices", 403),
                new Expected("bob", bob, "GET", orders + "/actuator/prometheus", 403),
                new Expected("bob", bob, "GET", orders + "/orders/" + bobOrder, 200),
                new Expected("storefront", storefront, "GET", orders + "/orders/" + aliceOrder, 200),
                new Expected("storefront", storefront, "GET", views + "/views/customers/alice/orders", 200),
                new Expected("storefront", storefront, "GET", orders + "/orders", 403),
                new Expected("operator", operator, "GET", orders + "/orders", 200),
                new Expected("operator", operator, "GET", orders + "/orders/" + aliceOrder, 200),
                new Expected("operator", operator, "GET", payments + "/payments/" + aliceOrder, 200),
                new Expected("operator", operator, "GET", views + "/views/revenue", 200),
                new Expected("operator", operator, "GET", orders + "/actuator/prometheus", 200),
                new Expected("nobody", null, "GET", orders + "/orders/" + aliceOrder, 401),
                new Expected("nobody", null, "GET", views + "/views/customers/alice/orders", 401));
        SoftAssertions softly = new SoftAssertions();
        for (Expected expected : matrix) {
            URI url = URI.create(expected.url());
            RawHttp.Answer answer = HttpAccess.send(
                    url.getScheme() + "://" + url.getAuthority(),
                    expected.method(),
                    url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()),
                    Optional.ofNullable(expected.token()));
            String what = expected.caller() + " " + expected.method() + " " + expected.url() + " answered " + answer;
            softly.assertThat(answer.status()).as(what).isEqualTo(expected.status());
            if (expected.status() == 404) {
                softly.assertThat(answer.body())
                        .as(what + ": no trace of the order's data")
                        .doesNotContain("alice");
            }
        }
        String unknown = UUID.randomUUID().toString();
        RawHttp.Answer notThere = HttpAccess.get(orders, "/orders/" + unknown, Optional.of(bob));
        RawHttp.Answer notHis = HttpAccess.get(orders, "/orders/" + aliceOrder, Optional.of(bob));
        softly.assertThat(notHis.body().replace(aliceOrder, "ID"))
                .as("another customer's order reads exactly as one that does not exist")
                .isEqualTo(notThere.body().replace(unknown, "ID"));
        RawHttp.Answer viewNotThere =
                HttpAccess.get(views, "/views/orders/" + unknown + "?minVersion=" + version, Optional.of(bob));
        RawHttp.Answer viewNotHis =
                HttpAccess.get(views, "/views/orders/" + aliceOrder + "?minVersion=" + version, Optional.of(bob));
        softly.assertThat(viewNotHis.body().replace(aliceOrder, "ID"))
                .as("waiting for another customer's order reads exactly as waiting for one that does not exist")
                .isEqualTo(viewNotThere.body().replace(unknown, "ID"));
        softly.assertAll();

        // An order that can still be cancelled: with the provider down it waits, RESERVED, for its payment.
        paymentProvider.behave(new ProviderSwitches(0, 0, 0, 0, true));
        try {
            RawHttp.Answer placed = placeAs(alice, order.formatted("alice"));
            String waiting = JsonMapper.builder()
                    .build()
                    .readTree(placed.body())
                    .path("id")
                    .asString();
            await().atMost(WAIT).until(() -> client.status(waiting).equals("RESERVED"));
            long before = client.order(waiting).path("version").asLong();
            RawHttp.Answer bobCancels =
                    HttpAccess.send(orders, "POST", "/orders/" + waiting + "/cancel", Optional.of(bob));
            assertThat(bobCancels.status())
                    .as("bob cancels alice's order: " + bobCancels)
                    .isEqualTo(404);
            assertThat(client.order(waiting).path("version").asLong())
                    .as("bob's cancellation changed nothing")
                    .isEqualTo(before);
            RawHttp.Answer aliceCancels =
                    HttpAccess.send(orders, "POST", "/orders/" + waiting + "/cancel", Optional.of(alice));
            assertThat(aliceCancels.status())
                    .as("alice cancels her order: " + aliceCancels)
                    .isEqualTo(202);
        } finally {
            paymentProvider.behave(ProviderSwitches.healthy());
        }
    }

    /** The stack's environment, and what the service needs as a client of its own (the dashboard, its secret). */
    private static Map<String, String> environmentOf(ServiceName name) {
        Map<String, String> own = new java.util.HashMap<>(environment);
        own.putAll(stack.clientEnvironment(name.displayName()));
        return own;
    }

    private static RawHttp.Answer placeAs(String token, String body) throws IOException {
        return RawHttp.exchange(
                services.get(ServiceName.ORDER).baseUrl(),
                "POST",
                "/orders",
                List.of(
                        "Authorization: Bearer " + token,
                        "Content-Type: application/json",
                        "Idempotency-Key: " + key()),
                body);
    }

    @Test
    void everyEventOfTheSagaCarriesTheOrdersCorrelationAndTraceAndIsCausedByTheOneBefore() throws Exception {
        Traceparent caller = Traceparent.newTrace();
        String orderId = client.placeTraced(key(), "MS-002", 1, caller.toString());
        await().atMost(WAIT).until(() -> client.status(orderId).equals("CONFIRMED"));
        await().atMost(WAIT)
                .until(() -> records.readAll(Topics.ORDERS.name(), RawKafka.keyed(orderId))
                                .size()
                        == 2);

        Map<String, ConsumerRecord<String, byte[]>> byType = new java.util.HashMap<>();
        for (String topic : List.of(
                Topics.ORDERS.name(), Topics.INVENTORY.name(), Topics.PAYMENTS.name(), Topics.SHIPMENTS.name())) {
            for (ConsumerRecord<String, byte[]> event : records.readAll(topic, RawKafka.keyed(orderId))) {
                assertThat(RawKafka.header(event, EventHeaders.CORRELATION_ID)).isEqualTo(orderId);
                assertThat(Traceparent.parse(RawKafka.header(event, EventHeaders.TRACEPARENT))
                                .traceId())
                        .as("the trace of the request that placed the order")
                        .isEqualTo(caller.traceId());
                byType.put(RawKafka.header(event, EventHeaders.EVENT_TYPE), event);
            }
        }
        List<String> chain = List.of("OrderPlaced", "StockReserved", "PaymentAuthorized", "ShipmentScheduled");
        assertThat(byType.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(chain.stream(), java.util.stream.Stream.of("OrderConfirmed"))
                                .toList());
        assertThat(RawKafka.header(byType.get("OrderPlaced"), EventHeaders.CAUSATION_ID))
                .isNull();
        for (int i = 1; i < chain.size(); i++) {
            assertThat(RawKafka.header(byType.get(chain.get(i)), EventHeaders.CAUSATION_ID))
                    .as(chain.get(i) + " is caused by " + chain.get(i - 1))
                    .isEqualTo(RawKafka.header(byType.get(chain.get(i - 1)), EventHeaders.EVENT_ID));
        }
        // order-service learns the three facts on three subscriptions, in whatever order they arrive: the order is
        // confirmed by the one it recorded last.
        List<String> history = historyTypes(orderId);
        assertSagaHistory(history);
        String lastFact = history.get(history.size() - 2);
        assertThat(RawKafka.header(byType.get("OrderConfirmed"), EventHeaders.CAUSATION_ID))
                .as("OrderConfirmed is caused by " + lastFact + ", the fact recorded last")
                .isEqualTo(RawKafka.header(byType.get(lastFact), EventHeaders.EVENT_ID));
    }

    private static List<String> historyTypes(String orderId) throws IOException, InterruptedException {
        return client.order(orderId)
                .path("history")
                .valueStream()
                .map(e -> e.path("type").asString())
                .toList();
    }

    private static void assertSagaHistory(List<String> history) {
        assertThat(history).hasSize(5).startsWith("Placed").endsWith("Confirmed");
        assertThat(history.subList(1, 4))
                .containsExactlyInAnyOrder("StockReserved", "PaymentAuthorized", "ShipmentScheduled");
    }

    @Test
    void aDeclinedPaymentGivesTheStockBackNothingShipsAndTheOrderIsCancelled() throws Exception {
        int hubs = client.available("HB-004");
        // 7 x 32.00: only this order's amount is declined, whatever else is in flight.
        paymentProvider.behave(ProviderSwitches.declining(new BigDecimal("224.00")));
        try {
            String declined = client.place(key(), "HB-004", 7);
            await().atMost(WAIT).until(() -> client.status(declined).equals("CANCELLED"));
            assertThat(client.order(declined).path("statusReason").asString())
                    .isEqualTo("payment declined: insufficient_funds");
            assertThat(client.available("HB-004")).isEqualTo(hubs);
            assertThat(client.statusOf(services.get(ServiceName.SHIPPING).baseUrl() + "/shipments/" + declined))
                    .isEqualTo(404);
            assertThat(records.readAll(Topics.INVENTORY.name(), RawKafka.keyed(declined)))
                    .extracting(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                    .containsExactly("StockReserved", "StockReleased");
        } finally {
            paymentProvider.behave(ProviderSwitches.healthy());
        }
    }

    @Test
    void anOrderCancelledWhileTheProviderIsDownIsNeverChargedAndGetsItsStockBackOnceNothingCanShip() throws Exception {
        int mice = client.available("MS-002");
        paymentProvider.behave(new ProviderSwitches(0, 0, 0, 0, true));
        String orderId;
        try {
            orderId = client.place(key(), "MS-002", 3);
            await().atMost(WAIT).until(() -> client.status(orderId).equals("RESERVED"));
            assertThat(client.cancel(orderId)).isEqualTo(202);
            // With the provider down, the one decision payment-service can record is the void.
            await().atMost(WAIT)
                    .until(() ->
                            client.statusOf(services.get(ServiceName.PAYMENT).baseUrl() + "/payments/" + orderId)
                                    == 200);
            assertThat(client.status(orderId))
                    .as("not cancelled while the provider cannot say that nothing was " + "charged")
                    .isEqualTo("CANCELLING");
            assertThat(client.available("MS-002"))
                    .as("held while a charge, and so a shipment, cannot be ruled out")
                    .isEqualTo(mice - 3);
        } finally {
            paymentProvider.behave(ProviderSwitches.healthy());
        }
        await().atMost(WAIT).until(() -> client.status(orderId).equals("CANCELLED"));
        assertThat(client.available("MS-002")).isEqualTo(mice);
        // The reservation still waits at payment-service behind the open circuit: once it goes through, the void
        // must keep it from charging.
        String after = client.place(key(), "MS-002", 1);
        await().atMost(WAIT).until(() -> client.status(after).equals("CONFIRMED"));
        assertThat(paymentProvider.chargesFor(orderId)).isEmpty();
        assertThat(client.order(orderId)
                        .path("history")
                        .valueStream()
                        .map(e -> e.path("type").asString()))
                .contains("CancellationRequested", "StockReleased", "PaymentVoided", "Cancelled");
        assertThat(client.cancel(after)).as("shipped").isEqualTo(409);
    }

    @Test
    void theOperatorLogsIntoTheDashboardFollowsAnOrderSeesAPoisonRecordAmongTheDeadLettersAndReplaysIt()
            throws Exception {
        // Signed in through the authorization server's own login page (authorization code with PKCE); the replay
        // below is a POST the page sends with its CSRF token.
        try (DashboardBrowser browser = dashboardAsOperator()) {
            browser.awaitLive();
            browser.awaitShown("[data-service='order-service'][data-status='UP']");

            String orderId = client.place(key(), "KB-001", 1);
            browser.awaitShown("tr[data-order-id='" + orderId + "'][data-status='CONFIRMED']");
            assertThat(browser.text("tr[data-order-id='" + orderId + "'] .timeline"))
                    .contains(
                            "OrderPlaced", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "OrderConfirmed");

            // Not Avro: every consumer of the topic dead-letters it, each once.
            String poisonKey = "poison-" + UUID.randomUUID();
            ProducerRecord<String, byte[]> poison = new ProducerRecord<>(
                    Topics.INVENTORY.name(), poisonKey, "{not avro}".getBytes(StandardCharsets.UTF_8));
            Envelope.first("StockReserved", poisonKey, "e2e-test", Instant.now())
                    .writeTo(poison.headers());
            records.send(poison);
            Predicate<List<String>> paymentsLetter = cells ->
                    cells.get(2).equals("payment-service") && cells.get(4).equals(poisonKey);
            WebElement pending = browser.awaitDeadLetter(
                    paymentsLetter.and(cells -> cells.get(5).equals("0")));
            String deadLetterId = pending.getAttribute("data-dlq-id");
            assertThat(pending.getAttribute("data-status")).isEqualTo("PENDING");
            assertThat(pending.getText()).contains("PoisonRecordException", "magic byte");

            browser.replay(deadLetterId);
            browser.awaitShown("#dlq-message:not([hidden])");
            assertThat(browser.text("#dlq-message"))
                    .contains("replayed " + deadLetterId + " to " + Topics.INVENTORY.name() + " (replay 1)");
            browser.awaitShown("tr[data-dlq-id='" + deadLetterId + "'][data-status='REPLAYED']");
            // Still not Avro: it comes back once, for payment-service alone, as its first replay.
            browser.awaitDeadLetter(paymentsLetter.and(cells -> cells.get(5).equals("1")));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(
                                    records.readAll(Topics.INVENTORY.deadLetterTopic(), RawKafka.keyed(poisonKey)))
                            .hasSize(4));

            // A service that stops answering is shown as down, not as a spinner, and as up again once it is back.
            services.get(ServiceName.SHIPPING).kill();
            browser.awaitShown("[data-service='shipping-service'][data-status='UNREACHABLE']");
            assertThat(browser.text("[data-service='shipping-service']")).contains("down", "connection refused");
            browser.screenshot(Path.of("target", "dashboard-e2e.png"));
            restart(ServiceName.SHIPPING);
            browser.awaitShown("[data-service='shipping-service'][data-status='UP']");
        }
    }

    /** The dashboard in the browser, signed in as the operator of the stack's realm. */
    private static DashboardBrowser dashboardAsOperator() throws Exception {
        String password = Realm.load(stack.authServer().realmFile())
                .user(StackRealm.OPS)
                .orElseThrow()
                .password();
        return DashboardBrowser.open(services.get(ServiceName.DASHBOARD).baseUrl(), StackRealm.OPS, password);
    }

    private static final List<ServiceName> DOCUMENTED = List.of(
            ServiceName.ORDER,
            ServiceName.INVENTORY,
            ServiceName.PAYMENT,
            ServiceName.SHIPPING,
            ServiceName.ORDER_VIEW);

    @Test
    void everyServicesEventDocumentIsValidByTheAsyncApiParser() throws Exception {
        for (ServiceName service : DOCUMENTED) {
            RawHttp.Answer document =
                    HttpAccess.get(services.get(service).baseUrl(), "/asyncapi.json", Optional.empty());
            assertThat(document.status()).as(service.displayName()).isEqualTo(200);
            assertThat(AsyncApiCheck.problems(document.body()))
                    .as(service.displayName())
                    .isEmpty();
        }
    }

    @Test
    void theOperatorFindsEachServicesApiAndTheEventCatalogueFromTheDashboard() throws Exception {
        try (DashboardBrowser browser = dashboardAsOperator()) {
            browser.awaitLive();
            for (ServiceName service : DOCUMENTED) {
                String card = "[data-service='" + service.displayName() + "']";
                browser.awaitShown(card);
                String api = browser.attribute(card + " a[data-link='api']", "href");
                assertThat(api).isEqualTo(services.get(service).baseUrl() + "/swagger-ui.html");
                assertThat(HttpAccess.get(services.get(service).baseUrl(), "/swagger-ui/index.html", Optional.empty())
                                .status())
                        .as(service.displayName() + "'s Swagger UI")
                        .isEqualTo(200);
            }

            browser.follow("#catalogue-link");
            browser.awaitShown("body[data-loaded='true']");
            assertThat(browser.present("[data-error]"))
                    .as(browser.text("#catalogue-services"))
                    .isFalse();
            String placed = "[data-topic='orders.events'] tr[data-event='OrderPlaced']";
            assertThat(browser.text(placed + " .writers")).isEqualTo("order-service");
            assertThat(browser.text(placed + " .readers"))
                    .isEqualTo("inventory-service (inventory-service), order-view (order-view)");
            assertThat(browser.text(placed + " .versions")).contains("(id ", "order-service", "inventory-service");
            String cancellation = "[data-topic='orders.events'] tr[data-event='OrderCancellationRequested']";
            assertThat(browser.text(cancellation + " .readers"))
                    .contains("payment-service (payment-service-orders)", "inventory-service (inventory-service)");
            assertThat(browser.text("[data-topic='inventory.events'] tr[data-event='ProductListed'] .passers"))
                    .contains("order-view (order-view)");
            // order-service reads payments in its merged subscription, under the name it had before the merge.
            assertThat(browser.text("[data-topic='payments.events'] h2"))
                    .contains(
                            "payments.events.dlq",
                            "order-service (order-service-payments)",
                            "shipping-service (shipping-service)");
            browser.screenshot(Path.of("target", "event-catalogue.png"));
        }
    }

    @Test
    void theNodeJsExampleReadsAnOrdersEventsDecodedWithTheRegistrysSchemas() throws Exception {
        NodeScript consumer = NodeScript.in("docs/examples/node-consumer", "consumer.mjs", "kafkajs");
        String orderId = client.place(key(), "KB-001", 2);
        await().atMost(WAIT).until(() -> client.status(orderId).equals("CONFIRMED"));
        String total = client.order(orderId).path("totalAmount").asString();

        NodeScript.Run run = consumer.run(
                WAIT,
                "--bootstrap",
                stack.bootstrapServers(),
                "--registry",
                registry.url(),
                "--group",
                "node-example-" + UUID.randomUUID(),
                "--topics",
                Topics.ORDERS.name(),
                "--key",
                orderId,
                "--count",
                "2");

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> events = run.lines().stream()
                .filter(line -> line.startsWith("{"))
                .map(json::readTree)
                .toList();
        assertThat(events)
                .as(run.output())
                .extracting(event -> event.path("type").asString())
                .containsExactly("OrderPlaced", "OrderConfirmed");
        JsonNode placed = events.get(0);
        assertThat(placed.path("key").asString()).isEqualTo(orderId);
        assertThat(placed.path("payload").path("orderId").asString()).isEqualTo(orderId);
        assertThat(new BigDecimal(placed.path("payload").path("totalAmount").asString()))
                .isEqualByComparingTo(total);
        assertThat(placed.path("payload").path("totalAmount").asString()).matches("\\d+\\.\\d{2}");
        assertThat(placed.path("envelope").path("correlation-id").asString()).isEqualTo(orderId);
        assertThat(placed.path("envelope").path("producer").asString()).isEqualTo("order-service");
        assertThat(events.get(1).path("envelope").path("causation-id").asString())
                .isNotEmpty()
                .isNotEqualTo(placed.path("envelope").path("event-id").asString());
    }

    @Test
    void eventsTravelInTheWireFormatOfTheRegistryProcess() throws Exception {
        String orderId = client.place(key(), "MS-002", 1);
        await().atMost(WAIT).until(() -> client.status(orderId).equals("CONFIRMED"));

        for (String topic : List.of(
                Topics.ORDERS.name(), Topics.INVENTORY.name(), Topics.PAYMENTS.name(), Topics.SHIPMENTS.name())) {
            ConsumerRecord<String, byte[]> event =
                    records.readAll(topic, RawKafka.keyed(orderId)).get(0);
            assertThat(event.value()[0]).as("magic byte").isZero();
            int schemaId = java.nio.ByteBuffer.wrap(event.value(), 1, 4).getInt();
            String type = RawKafka.header(event, EventHeaders.EVENT_TYPE);
            var schema = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5)).schemaById(schemaId);
            assertThat(schema.getName())
                    .as("schema " + schemaId + " of the registry process")
                    .isEqualTo(type);
        }
    }

    @Test
    void orderServiceKnowsInventorysCatalogueAndRefusesUnknownProducts() throws Exception {
        assertThat(client.statusOfPlacing(key(), "XX-999", 1)).isEqualTo(422);
        assertThat(client.statusOfPlacing(key(), "LT-006", 1)).isEqualTo(201);
    }

    @Test
    void ordersArePricedFromInventorysCatalogueAndFollowItsPriceChanges() throws Exception {
        String before = client.place(key(), "LT-006", 2);
        assertThat(client.order(before).path("totalAmount").decimalValue()).isEqualByComparingTo("78.00");
        assertThat(client.placeQuoting(key(), "LT-006", 1, "0.01").statusCode()).isEqualTo(409);

        assertThat(client.reprice("LT-006", "{\"EUR\": 41.00, \"USD\": 44.00}")).isEqualTo(200);

        // The new price reaches order-service as an event: until then a quote of it is refused as stale.
        await().atMost(WAIT)
                .until(() -> client.placeQuoting(key(), "LT-006", 1, "41.00").statusCode() == 201);
        assertThat(client.order(client.place(key(), "LT-006", 2))
                        .path("totalAmount")
                        .decimalValue())
                .isEqualByComparingTo("82.00");
        assertThat(client.order(before).path("totalAmount").decimalValue()).isEqualByComparingTo("78.00");
    }

    /** A request of the bad-input table: what is sent, and what must come back. */
    private record BadInput(
            String what,
            String baseUrl,
            String method,
            String target,
            List<String> headers,
            String body,
            int status,
            String detail,
            boolean problemDetail) {

        /** From a Spring service: a problem detail ({@code application/problem+json}) whose detail says this. */
        static BadInput problem(
                String what, ServiceName service, String request, String body, int status, String detail) {
            String[] methodAndTarget = request.split(" ", 2);
            return new BadInput(
                    what,
                    services.get(service).baseUrl(),
                    methodAndTarget[0],
                    methodAndTarget[1],
                    body == null ? List.of() : List.of("Content-Type: application/json"),
                    body,
                    status,
                    detail,
                    true);
        }

        /** From the registry or the payment provider, which answer in their own error format. */
        static BadInput answer(String what, String baseUrl, String request, String body, int status, String text) {
            String[] methodAndTarget = request.split(" ", 2);
            return new BadInput(
                    what,
                    baseUrl,
                    methodAndTarget[0],
                    methodAndTarget[1],
                    body == null ? List.of() : List.of("Content-Type: application/json"),
                    body,
                    status,
                    text,
                    false);
        }

        /** Refused by the web server itself before any application code runs: only the status is ours to check. */
        static BadInput refusedByServer(String what, String baseUrl, String request, String header) {
            String[] methodAndTarget = request.split(" ", 2);
            return new BadInput(
                    what,
                    baseUrl,
                    methodAndTarget[0],
                    methodAndTarget[1],
                    header == null ? List.of() : List.of(header),
                    null,
                    400,
                    null,
                    false);
        }

        BadInput withHeader(String line) {
            List<String> all = new ArrayList<>(headers);
            all.add(line);
            return new BadInput(what, baseUrl, method, target, all, body, status, detail, problemDetail);
        }
    }

    @Test
    void noBadInputGetsA5xxFromAnyService() throws Exception {
        String registryUrl = registry.url();
        String provider = paymentProvider.url();
        String order = "{\"customerId\":\"%s\",\"currency\":\"EUR\",\"items\":[{\"productId\":\"KB-001\","
                + "\"quantity\":1}]}";
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        String someOrder = UUID.randomUUID().toString();
        List<BadInput> table = List.of(
                BadInput.problem(
                        "customerId with NUL (PostgreSQL refuses it)",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.formatted("a\\u0000b"),
                        422,
                        "customerId: must not contain control characters"),
                BadInput.problem(
                        "customerId with another C0 control",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.formatted("a\\u0007b"),
                        422,
                        "customerId: must not contain control characters"),
                BadInput.problem(
                        "customerId with a lone surrogate",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.formatted("a\\ud800b"),
                        422,
                        "customerId: must not contain control characters"),
                BadInput.problem(
                        "customerId over 64 characters",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.formatted("c".repeat(65)),
                        422,
                        "customerId: size must be between"),
                BadInput.problem(
                        "quantity past int",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.replace("\"quantity\":1", "\"quantity\":99999999999999999999")
                                .formatted("c"),
                        400,
                        "out of range"),
                BadInput.problem(
                        "unitPrice 1e999999999",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.replace("\"quantity\":1", "\"quantity\":1,\"unitPrice\":1e999999999")
                                .formatted("c"),
                        422,
                        "unitPrice"),
                BadInput.problem(
                        "deeply nested body",
                        ServiceName.ORDER,
                        "POST /orders",
                        "{\"customerId\":\"c\",\"note\":" + deep + "}",
                        400,
                        "nesting depth"),
                BadInput.problem(
                        "body over 64 KiB",
                        ServiceName.ORDER,
                        "POST /orders",
                        order.formatted("c".repeat(100_000)),
                        413,
                        "larger than"),
                BadInput.problem("not JSON", ServiceName.ORDER, "POST /orders", "{", 400, "malformed JSON"),
                new BadInput(
                        "a text/plain body",
                        services.get(ServiceName.ORDER).baseUrl(),
                        "POST",
                        "/orders",
                        List.of("Content-Type: text/plain"),
                        "{}",
                        415,
                        "text/plain",
                        true),
                BadInput.problem(
                                "Idempotency-Key of 256 characters",
                                ServiceName.ORDER,
                                "POST /orders",
                                order.formatted("c"),
                                400,
                                "Idempotency-Key must be")
                        .withHeader("Idempotency-Key: " + "k".repeat(256)),
                BadInput.refusedByServer(
                        "Idempotency-Key with a control character",
                        services.get(ServiceName.ORDER).baseUrl(),
                        "POST /orders",
                        "Idempotency-Key: a\u0001b"),
                BadInput.problem(
                        "status with malformed percent-encoding",
                        ServiceName.ORDER,
                        "GET /orders?status=%zz",
                        null,
                        400,
                        "percent-encoding"),
                BadInput.problem(
                        "status with NUL", ServiceName.ORDER, "GET /orders?status=%00", null, 400, "is not one of"),
                BadInput.problem(
                        "limit past int", ServiceName.ORDER, "GET /orders?limit=99999999999", null, 400, "limit"),
                BadInput.problem(
                        "order id that is not a UUID",
                        ServiceName.ORDER,
                        "GET /orders/x",
                        null,
                        400,
                        "not a valid UUID"),
                BadInput.refusedByServer(
                        "order id with malformed percent-encoding",
                        services.get(ServiceName.ORDER).baseUrl(),
                        "GET /orders/%zz",
                        null),
                BadInput.problem(
                        "a method the resource does not take: no rule allows it, so it is refused (deny by default)",
                        ServiceName.ORDER,
                        "DELETE /orders",
                        null,
                        403,
                        "no rule allows DELETE /orders"),
                BadInput.problem(
                        "an unknown path: refused as every endpoint without a rule",
                        ServiceName.ORDER,
                        "GET /nope",
                        null,
                        403,
                        "no rule allows GET /nope"),
                BadInput.problem(
                        "price past NUMERIC(12,2)",
                        ServiceName.INVENTORY,
                        "PUT /stock/KB-001/prices",
                        "{\"EUR\": 1e999999999}",
                        422,
                        "at most 9999999999.99"),
                BadInput.problem(
                        "currency with NUL",
                        ServiceName.INVENTORY,
                        "PUT /stock/KB-001/prices",
                        "{\"E\\u0000R\": 1.00}",
                        422,
                        "not an ISO 4217 currency"),
                BadInput.problem(
                        "price list that is not JSON", ServiceName.INVENTORY, "PUT /stock/KB-001/prices", "{", 400, ""),
                BadInput.refusedByServer(
                        "product id with malformed percent-encoding",
                        services.get(ServiceName.INVENTORY).baseUrl(),
                        "PUT /stock/%zz/prices",
                        null),
                BadInput.problem(
                        "payment of an id that is not a UUID",
                        ServiceName.PAYMENT,
                        "GET /payments/x",
                        null,
                        400,
                        "orderId"),
                BadInput.problem(
                        "shipment of an id that is not a UUID",
                        ServiceName.SHIPPING,
                        "GET /shipments/x",
                        null,
                        400,
                        "orderId"),
                BadInput.refusedByServer(
                        "a header with a control character",
                        services.get(ServiceName.SHIPPING).baseUrl(),
                        "GET /shipments/" + someOrder,
                        "X-Note: a\u0001b"),
                BadInput.problem(
                        "revenue up to the minimum instant",
                        ServiceName.ORDER_VIEW,
                        "GET /views/revenue?to=-1000000000-01-01T00:00:00Z",
                        null,
                        400,
                        "to must be between"),
                BadInput.problem(
                        "revenue from the minimum instant",
                        ServiceName.ORDER_VIEW,
                        "GET /views/revenue?from=-1000000000-01-01T00:00:00Z&to=-1000000000-01-01T01:00:00Z",
                        null,
                        400,
                        "from must be between"),
                BadInput.problem(
                        "revenue up to the maximum instant",
                        ServiceName.ORDER_VIEW,
                        "GET /views/revenue?to=%2B1000000000-12-31T23:59:59Z",
                        null,
                        400,
                        "to must be between"),
                BadInput.problem(
                        "revenue with malformed percent-encoding",
                        ServiceName.ORDER_VIEW,
                        "GET /views/revenue?to=%zz",
                        null,
                        400,
                        "percent-encoding"),
                BadInput.problem(
                        "top products, limit 0",
                        ServiceName.ORDER_VIEW,
                        "GET /views/products/top?limit=0",
                        null,
                        400,
                        "limit must be between"),
                BadInput.problem(
                        "order view, id over 200 characters",
                        ServiceName.ORDER_VIEW,
                        "GET /views/orders/" + "o".repeat(201),
                        null,
                        400,
                        "1 to 200 characters"),
                BadInput.problem(
                        "order view, minVersion past long",
                        ServiceName.ORDER_VIEW,
                        "GET /views/orders/" + someOrder + "?minVersion=9223372036854775808",
                        null,
                        400,
                        "minVersion"),
                BadInput.refusedByServer(
                        "order view, id with NUL",
                        services.get(ServiceName.ORDER_VIEW).baseUrl(),
                        "GET /views/orders/%00",
                        null),
                BadInput.problem(
                        "admin start with malformed percent-encoding",
                        ServiceName.ORDER_VIEW,
                        "POST /views/admin/start?clean=%zz",
                        null,
                        400,
                        "percent-encoding"),
                BadInput.problem(
                        "dead letters, malformed percent-encoding",
                        ServiceName.DASHBOARD,
                        "GET /api/dlq?reason=%zz",
                        null,
                        400,
                        "percent-encoding"),
                BadInput.problem(
                        "dead letters, limit past int",
                        ServiceName.DASHBOARD,
                        "GET /api/dlq?limit=99999999999",
                        null,
                        400,
                        "limit"),
                BadInput.problem(
                        "dead letter, malformed id",
                        ServiceName.DASHBOARD,
                        "GET /api/dlq/nope",
                        null,
                        400,
                        "malformed dead-letter id"),
                BadInput.problem("replay, not JSON", ServiceName.DASHBOARD, "POST /api/dlq/replay", "{", 400, ""),
                BadInput.problem(
                        "purge without a topic", ServiceName.DASHBOARD, "POST /api/dlq/purge", null, 400, "topic"),
                BadInput.refusedByServer(
                        "metric with malformed percent-encoding",
                        services.get(ServiceName.INVENTORY).baseUrl(),
                        "GET /actuator/metrics/%zz",
                        null),
                BadInput.answer(
                        "registry: deeply nested body",
                        registryUrl,
                        "POST /subjects/e2e-bad/versions",
                        deep,
                        400,
                        "nesting depth"),
                BadInput.answer(
                        "registry: version 0",
                        registryUrl,
                        "GET /subjects/e2e-bad/versions/0",
                        null,
                        422,
                        "not a valid version"),
                BadInput.refusedByServer(
                        "registry: malformed percent-encoding", registryUrl, "GET /subjects/%zz/versions", null),
                BadInput.answer(
                                "provider: amount 1e999999999",
                                provider,
                                "POST /v1/charges",
                                "{\"reference\":\"e2e-bad\",\"amount\":\"1e999999999\",\"currency\":\"EUR\"}",
                                400,
                                "amount must be")
                        .withHeader("Idempotency-Key: e2e-bad-" + someOrder),
                BadInput.answer(
                        "provider: charge key holding an escaped %",
                        provider, "POST /v1/charge-keys/e2e-bad-%25-" + someOrder + "/cancel", null, 200, "canceled"),
                BadInput.answer(
                        "provider: switches that are not JSON", provider, "PUT /control", "{", 400, "malformed JSON"));

        SoftAssertions softly = new SoftAssertions();
        for (BadInput input : table) {
            RawHttp.Answer answer =
                    RawHttp.exchange(input.baseUrl(), input.method(), input.target(), authorized(input), input.body());
            String what =
                    input.what() + " (" + input.method() + " " + abbreviated(input.target()) + ") answered " + answer;
            softly.assertThat(answer.status()).as(what).isEqualTo(input.status());
            if (input.problemDetail()) {
                softly.assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
            }
            if (input.detail() != null) {
                softly.assertThat(answer.body()).as(what).contains(input.detail());
            }
        }
        aCancellationThatKeepsConflictingIsA409ToRetry(softly);
        softly.assertAll();
    }

    /**
     * The input's headers, with a token of a caller the endpoint lets in when it goes to one of the services: the bad
     * input must reach the code that checks it.
     */
    private static List<String> authorized(BadInput input) {
        boolean toService = services.values().stream().anyMatch(s -> s.baseUrl().equals(input.baseUrl()));
        if (!toService || input.headers().stream().anyMatch(h -> h.startsWith("Authorization:"))) {
            return input.headers();
        }
        String token = input.method().equals("POST") && input.target().startsWith("/orders")
                ? stack.tokens().storefront()
                : stack.tokens().operator();
        List<String> headers = new ArrayList<>(input.headers());
        headers.add("Authorization: Bearer " + token);
        return headers;
    }

    /**
     * Every attempt of the cancellation loses its write, as when other writers keep getting to the order first: the
     * client is told to send it again, and the same request succeeds once the order is quiet.
     */
    private static void aCancellationThatKeepsConflictingIsA409ToRetry(SoftAssertions softly) throws Exception {
        // With the provider down the order waits, RESERVED, for its payment: it stays cancellable.
        paymentProvider.behave(new ProviderSwitches(0, 0, 0, 0, true));
        String orderId;
        try {
            orderId = client.place(key(), "MS-002", 1);
            await().atMost(WAIT).until(() -> client.status(orderId).equals("RESERVED"));
            RawHttp.Answer conflict;
            try (Connection connection = connect();
                    var statement = connection.createStatement()) {
                statement.execute("""
                        CREATE OR REPLACE FUNCTION orders.e2e_lose_cancellations() RETURNS trigger LANGUAGE plpgsql AS
                        $$ BEGIN
                            IF NEW.order_id = '%s' AND NEW.event_type = 'CancellationRequested' THEN RETURN NULL; END IF;
                            RETURN NEW;
                        END $$""".formatted(orderId));
                statement.execute("CREATE TRIGGER e2e_lose_cancellations BEFORE INSERT ON orders.order_events "
                        + "FOR EACH ROW EXECUTE FUNCTION orders.e2e_lose_cancellations()");
                try {
                    conflict = RawHttp.exchange(
                            services.get(ServiceName.ORDER).baseUrl(),
                            "POST",
                            "/orders/" + orderId + "/cancel",
                            List.of("Authorization: Bearer " + stack.tokens().storefront()),
                            null);
                } finally {
                    statement.execute("DROP TRIGGER e2e_lose_cancellations ON orders.order_events");
                    statement.execute("DROP FUNCTION orders.e2e_lose_cancellations()");
                }
            }
            String what = "a cancellation that still conflicts after its retries answered " + conflict;
            softly.assertThat(conflict.status()).as(what).isEqualTo(409);
            softly.assertThat(conflict.contentType()).as(what).startsWith("application/problem+json");
            softly.assertThat(conflict.body()).as(what).contains("send the request again");
            softly.assertThat(conflict.header("Retry-After")).as(what).isPresent();
            softly.assertThat(client.cancel(orderId))
                    .as("the same cancellation, sent again")
                    .isEqualTo(202);
        } finally {
            paymentProvider.behave(ProviderSwitches.healthy());
        }
        // Its unit of stock comes back once the provider answers again: not during a later test that counts stock.
        await().atMost(WAIT).until(() -> client.status(orderId).equals("CANCELLED"));
    }

    private static String abbreviated(String target) {
        return target.length() > 80 ? target.substring(0, 80) + "…" : target;
    }

    @Test
    void aServiceKilledBetweenItsCommitAndThePublishLosesNoEvent() throws Exception {
        KafkaBroker broker = stack.broker().orElseThrow();
        broker.stop();
        String orderId;
        try {
            orderId = client.place(key(), "MS-002", 1);
            assertThat(outboxRowsOf("orders", orderId)).isEqualTo(1);
            services.get(ServiceName.ORDER).kill();
        } finally {
            broker.restart();
        }
        assertThat(outboxRowsOf("orders", orderId)).isEqualTo(1);

        restart(ServiceName.ORDER);

        await().atMost(WAIT).until(() -> client.status(orderId).equals("CONFIRMED"));
        await().atMost(WAIT).until(() -> outboxRowsOf("orders", orderId) == 0);
        assertThat(records.readAll(Topics.ORDERS.name(), RawKafka.keyed(orderId)))
                .extracting(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                .containsExactly("OrderPlaced", "OrderConfirmed");
    }

    @Test
    void sigtermUnderLoadLosesAndDuplicatesNothing() throws Exception {
        SagaInvariants.setAvailable(stack, "HB-004", 100_000);
        int before = client.available("HB-004");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Semaphore budget = new Semaphore(0);
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            load.submit(() -> placeAndCancelSomeUntilStopped(
                    "load-" + UUID.randomUUID() + "-" + thread,
                    "HB-004",
                    0,
                    loading,
                    budget,
                    accepted,
                    ConcurrentHashMap.newKeySet()));
        }

        budget.release(80);
        await().atMost(WAIT).until(() -> accepted.size() >= 40);
        assertThat(services.get(ServiceName.INVENTORY).stop(Duration.ofSeconds(45)))
                .as("graceful stop")
                .isTrue();
        await().atMost(WAIT).until(() -> accepted.size() >= 80);
        restart(ServiceName.INVENTORY);
        budget.release(80);
        await().atMost(WAIT).until(() -> accepted.size() >= 120);
        assertThat(services.get(ServiceName.ORDER).stop(Duration.ofSeconds(45)))
                .as("graceful stop")
                .isTrue();
        restart(ServiceName.ORDER);
        await().atMost(WAIT).until(() -> accepted.size() >= 160);
        loading.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        Set<String> orders = Set.copyOf(accepted.values());
        assertThat(orders).hasSameSizeAs(accepted.keySet());
        await().atMost(WAIT).until(() -> {
            for (String order : orders) {
                if (!client.status(order).equals("CONFIRMED")) {
                    return false;
                }
            }
            return true;
        });
        await().atMost(WAIT)
                .until(() -> countByKey(Topics.ORDERS.name(), orders).values().stream()
                        .allMatch(count -> count == 2));
        assertThat(countByKey(Topics.ORDERS.name(), orders))
                .allSatisfy((order, count) -> assertThat(count)
                        .as("OrderPlaced and OrderConfirmed records of " + order)
                        .isEqualTo(2));
        assertThat(countByKey(Topics.INVENTORY.name(), orders))
                .allSatisfy((order, count) ->
                        assertThat(count).as("inventory answers to " + order).isEqualTo(1));
        assertThat(countByKey(Topics.ORDERS.name(), orders)).hasSize(orders.size());
        assertThat(countByKey(Topics.INVENTORY.name(), orders)).hasSize(orders.size());
        assertThat(client.available("HB-004")).isEqualTo(before - orders.size());
    }

    /**
     * Places orders of one unit while there is budget, asking again with the same key while order-service is down;
     * every {@code cancelEvery}-th one (none for 0) is cancelled by its customer right after.
     */
    private static void placeAndCancelSomeUntilStopped(
            String prefix,
            String product,
            int cancelEvery,
            AtomicBoolean loading,
            Semaphore budget,
            Map<String, String> accepted,
            Set<String> cancelRequested) {
        int n = 0;
        String toCancel = null;
        try {
            while (loading.get() || toCancel != null) {
                try {
                    if (toCancel != null) {
                        client.cancel(toCancel);
                        cancelRequested.add(toCancel);
                        toCancel = null;
                        continue;
                    }
                    if (!budget.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String key = prefix + "-" + n;
                    String order = placeRetrying(key, product);
                    accepted.put(key, order);
                    if (cancelEvery > 0 && n % cancelEvery == 0) {
                        toCancel = order;
                    }
                    n++;
                } catch (IOException e) {
                    // order-service is restarting: back off briefly, then cancel again
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Places an order, asking again with the same key while order-service is down. */
    private static String placeRetrying(String key, String product) throws InterruptedException {
        while (true) {
            try {
                return client.place(key, product, 1);
            } catch (IOException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static Map<String, Long> countByKey(String topic, Set<String> keys) {
        List<ConsumerRecord<String, byte[]>> all = records.readAll(topic, record -> keys.contains(record.key()));
        return all.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private static void restart(ServiceName name) throws Exception {
        ServiceProcess old = services.get(name);
        ServiceProcess fresh = ServiceProcess.start(name, old.port(), environmentOf(name), logs, stack.tokens());
        services.put(name, fresh);
        fresh.awaitHealthy(WAIT);
    }

    private static long outboxRowsOf(String schema, String aggregateId) throws SQLException {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(
                        "SELECT count(*) FROM " + schema + ".outbox WHERE aggregate_id = ?")) {
            statement.setString(1, aggregateId);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.databaseUser(), stack.databasePassword());
    }

    private static String key() {
        return "e2e-" + UUID.randomUUID();
    }
}
