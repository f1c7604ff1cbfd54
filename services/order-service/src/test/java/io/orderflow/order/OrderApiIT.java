package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.Traceparent;
import io.orderflow.eventing.serde.EventSerdes;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + OrderServiceApplication.CONFIG_NAME)
class OrderApiIT {

    private static final String VALID = """
            {"customerId":"c-1","currency":"EUR","items":[{"productId":"KB-001","quantity":2,"unitPrice":10.25}]}""";

    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    List<EventConsumer> eventConsumers;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    EventSerdes serdes;

    private SagaFixture fixture;
    private long ordersBefore;
    private long outboxBefore;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
        // The relay would empty the outbox behind our backs; here we count what the API writes to it.
        registry.add("orderflow.eventing.relay.enabled", () -> "false");
    }

    @BeforeEach
    void knownProductsAndCounts() {
        // What inventory's ProductListed events would have brought.
        TestCatalogue.list(jdbc, "KB-001", "EUR", "10.25");
        TestCatalogue.list(jdbc, "MS-002", "EUR", "1.00");
        count();
    }

    void count() {
        ordersBefore = countOf("orders");
        outboxBefore = countOf("outbox");
    }

    @Test
    void itsApiDocumentIsValidOpenApiAndDescribesEveryEndpointItServes() {
        ApiDocsCheck.Service.at(
                        "http://127.0.0.1:" + port, TestStack.get().tokens().operator())
                .assertDescribesItself("POST /orders", "GET /ops/lag");
    }

    @Test
    void itsEventDocumentIsValidAsyncApiAndDescribesWhatItWritesAndReads() {
        AsyncApiCheck.Service document = AsyncApiCheck.Service.at("http://127.0.0.1:" + port);

        document.assertDescribes(
                new EventInterface(
                        "order-service",
                        List.of(Topics.ORDERS),
                        eventConsumers.stream().map(Subscription::of).toList()),
                TestStack.get().bootstrapServers());
        assertThat(document.groups()).containsExactlyInAnyOrder("order-service");
    }

    @Test
    void placesAnOrderWithItsOrderPlacedEventInTheOutbox() throws Exception {
        HttpResponse<String> response = post(VALID, null);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = json.readTree(response.body());
        assertThat(order.path("status").asString()).isEqualTo("PLACED");
        assertThat(order.path("totalAmount").decimalValue()).isEqualByComparingTo("20.50");
        assertThat(response.headers().firstValue("Location"))
                .hasValue("/orders/" + order.path("id").asString());
        assertThat(jdbc.sql("SELECT event_type FROM outbox WHERE aggregate_id = ?")
                        .param(order.path("id").asString())
                        .query(String.class)
                        .list())
                .containsExactly("OrderPlaced");

        HttpResponse<String> read = get("/orders/" + order.path("id").asString());
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode shown = json.readTree(read.body());
        assertThat(shown.path("history")
                        .valueStream()
                        .map(e -> e.path("type").asString())
                        .toList())
                .containsExactly("Placed");
        ((tools.jackson.databind.node.ObjectNode) shown).remove("history");
        ((tools.jackson.databind.node.ObjectNode) order).remove("history");
        assertThat(shown).isEqualTo(order);
    }

    @Test
    void theOrderPlacedEventJoinsTheW3cTraceOfTheRequestThatPlacedIt() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpResponse<String> traced =
                http().post("/orders", VALID, "traceparent", "00-" + traceId + "-" + callerSpan + "-01");
        assertThat(traced.statusCode()).isEqualTo(201);

        Traceparent parent = Traceparent.parse(
                traceparentOf(json.readTree(traced.body()).path("id").asString()));
        assertThat(parent.traceId()).isEqualTo(traceId);
        // The request's own server span, a child of the caller's, is the event's parent.
        assertThat(parent.spanId()).isNotEqualTo(callerSpan);

        HttpResponse<String> untraced = post(VALID, null);
        Traceparent fresh = Traceparent.parse(
                traceparentOf(json.readTree(untraced.body()).path("id").asString()));
        assertThat(fresh.traceId()).isNotEqualTo(traceId).hasSize(32);
    }

    private String traceparentOf(String orderId) {
        return jdbc.sql("SELECT traceparent FROM outbox WHERE aggregate_id = ?")
                .param(orderId)
                .query(String.class)
                .single();
    }

    @Test
    void malformedJsonIsA400ThatSaysSo() throws Exception {
        assertProblem(post("{\"customerId\": \"c-1\", ", null), 400, "malformed JSON");
    }

    @Test
    void aWrongTypeIsA400NamingTheField() throws Exception {
        assertProblem(post(VALID.replace("\"quantity\":2", "\"quantity\":\"two\""), null), 400, "items[0].quantity");
        assertProblem(post(VALID.replace("\"quantity\":2", "\"quantity\":1.5"), null), 400, "items[0].quantity");
        assertProblem(
                post(VALID.replace("\"items\":[", "\"items\":{\"a\":[").replace("]}", "]}}"), null), 400, "items");
    }

    @Test
    void brokenRulesAre422sListingEveryField() throws Exception {
        HttpResponse<String> response = post("""
                {"currency":"eur","items":[{"productId":"KB 001","quantity":0,"unitPrice":-1},
                 {"productId":"MS-002","quantity":1,"unitPrice":1.999}, null]}""", null);

        JsonNode problem = assertProblem(response, 422, "customerId");
        assertThat(problem.path("errors").findValuesAsString("field"))
                .contains(
                        "customerId",
                        "currency",
                        "items[0].productId",
                        "items[0].quantity",
                        "items[0].unitPrice",
                        "items[1].unitPrice",
                        "items[2]");
    }

    @Test
    void anOrderForProductsNotInTheCatalogueIsA422NamingThem() throws Exception {
        String body = "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":["
                + "{\"productId\":\"XX-1\",\"quantity\":1,\"unitPrice\":1},"
                + "{\"productId\":\"KB-001\",\"quantity\":1,\"unitPrice\":1},"
                + "{\"productId\":\"YY-2\",\"quantity\":1,\"unitPrice\":1}]}";
        String key = "unknown-" + java.util.UUID.randomUUID();

        JsonNode problem = assertProblem(post(body, key), 422, "unknown product(s): XX-1, YY-2");

        assertThat(problem.path("unknownProducts").values())
                .extracting(JsonNode::asString)
                .containsExactly("XX-1", "YY-2");
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anUnknownCurrencyIsA422() throws Exception {
        assertProblem(post(VALID.replace("EUR", "XYZ"), null), 422, "ISO 4217");
    }

    @Test
    void moreThanAHundredItemsIsA422() throws Exception {
        ObjectNode order = TestHttp.object().put("customerId", "c-1").put("currency", "EUR");
        IntStream.range(0, 101)
                .forEach(i -> order.withArray("items")
                        .addObject()
                        .put("productId", "P-" + i)
                        .put("quantity", 1)
                        .put("unitPrice", 1));
        assertProblem(post(order.toString(), null), 422, "at most 100 items");
    }

    @Test
    void anOrderWithoutItemsIsA422() throws Exception {
        assertProblem(post("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":[]}", null), 422, "items");
    }

    @Test
    void anOversizedBodyIsA413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String huge = VALID.replace("c-1", "c".repeat(70_000));
        assertProblem(post(huge, null), 413, "larger than");

        HttpRequest.Builder chunked = http().request("/orders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(chunksOf(huge)));
        assertProblem(http().send(chunked), 413, "larger than");
    }

    @Test
    void anotherMediaTypeIsA415() throws Exception {
        HttpResponse<String> response = http().post("/orders", VALID, "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertNothingWritten();
    }

    @Test
    void anUnknownOrderIsA404AndABadIdA400() throws Exception {
        assertProblem(get("/orders/" + java.util.UUID.randomUUID()), 404, "no order with id");
        assertProblem(get("/orders/not-a-uuid"), 400, "not-a-uuid");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameOrderNeverASecondOne() throws Exception {
        String key = "key-" + java.util.UUID.randomUUID();
        HttpResponse<String> first = post(VALID, key);
        HttpResponse<String> again = post(VALID, key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(again.body()).path("id"))
                .isEqualTo(json.readTree(first.body()).path("id"));
        assertThat(countOf("orders")).isEqualTo(ordersBefore + 1);
        assertThat(countOf("outbox")).isEqualTo(outboxBefore + 1);
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyCreateOneOrder() throws Exception {
        String key = "race-" + java.util.UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(pool.submit((Callable<HttpResponse<String>>) () -> post(VALID, key)));
        }
        Set<String> ids = Collections.synchronizedSet(new java.util.HashSet<>());
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> response : responses) {
            statuses.add(response.get().statusCode());
            ids.add(json.readTree(response.get().body()).path("id").asString());
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 200);
        assertThat(countOf("orders")).isEqualTo(ordersBefore + 1);
    }

    @Test
    void reusingAKeyForAnotherRequestIsA422AndPlacesNothing() throws Exception {
        String key = "reuse-" + java.util.UUID.randomUUID();
        assertThat(post(VALID, key).statusCode()).isEqualTo(201);
        count();

        assertProblem(
                post(VALID.replace("\"quantity\":2", "\"quantity\":3"), key),
                422,
                "already used for a different order");
    }

    @Test
    void anIdempotencyKeyIsTheCustomersOwnSoAnotherCustomersUseOfItNeitherCollidesNorReplays() throws Exception {
        String key = "shared-" + java.util.UUID.randomUUID();
        HttpResponse<String> first = post(VALID, key);
        HttpResponse<String> other = post(VALID.replace("c-1", "c-2"), key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(other.statusCode()).as("c-2's own order: " + other.body()).isEqualTo(201);
        assertThat(json.readTree(other.body()).path("customerId").asString()).isEqualTo("c-2");
        HttpResponse<String> again = post(VALID.replace("c-1", "c-2"), key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body()).path("id"))
                .isEqualTo(json.readTree(other.body()).path("id"));
        assertThat(countOf("orders")).isEqualTo(ordersBefore + 2);
    }

    @Test
    void anUnusableIdempotencyKeyIsA400() throws Exception {
        assertProblem(post(VALID, "x".repeat(300)), 400, "Idempotency-Key");
    }

    // ---- prices come from the catalogue (issue 12, point 1)

    @Test
    void theCustomerPaysTheCataloguePriceNeverThePriceTheClientSends() throws Exception {
        String monitor = listedProduct(Map.of("EUR", "229.00", "USD", "249.00"));

        HttpResponse<String> cheap = post(order("EUR", monitor, 1, "0.01"), null);

        JsonNode problem = assertProblem(cheap, 409, monitor + " costs EUR 229.00, not 0.01");
        assertThat(problem.path("currentPrices").get(0).path("unitPrice").decimalValue())
                .isEqualByComparingTo("229.00");
        HttpResponse<String> priced = post(order("EUR", monitor, 2, null), null);
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(201);
        JsonNode placed = json.readTree(priced.body());
        assertThat(placed.path("totalAmount").decimalValue()).isEqualByComparingTo("458.00");
        assertThat(placed.path("items").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("229.00");
        HttpResponse<String> current = post(order("USD", monitor, 1, "249"), null);
        assertThat(current.statusCode())
                .as("the current price, quoted, is accepted: " + current.body())
                .isEqualTo(201);
    }

    @Test
    void aProductNotSoldInTheOrdersCurrencyIsA422() throws Exception {
        String euroOnly = listedProduct(Map.of("EUR", "12.00"));

        JsonNode problem =
                assertProblem(post(order("USD", euroOnly, 1, null), null), 422, "not sold in USD: " + euroOnly);

        assertThat(problem.path("notSoldIn").asString()).isEqualTo("USD");
    }

    @Test
    void aPriceChangeReachesOrderServiceAsAnEventAndEarlierOrdersKeepTheirPrice() throws Exception {
        String hub = listedProduct(Map.of("EUR", "32.00"));
        HttpResponse<String> before = post(order("EUR", hub, 1, null), null);
        assertThat(before.statusCode()).as(before.body()).isEqualTo(201);
        String earlierOrder = json.readTree(before.body()).path("id").asString();

        fixture().list(hub, "USB-C hub", Instant.now().plusSeconds(1), Map.of("EUR", "35.50"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(priceOf(hub, "EUR")).isEqualByComparingTo("35.50"));
        count();
        assertProblem(post(order("EUR", hub, 1, "32.00"), null), 409, hub + " costs EUR 35.50, not 32.00");
        assertThat(json.readTree(post(order("EUR", hub, 1, null), null).body())
                        .path("totalAmount")
                        .decimalValue())
                .isEqualByComparingTo("35.50");
        JsonNode earlier = json.readTree(get("/orders/" + earlierOrder).body());
        assertThat(earlier.path("totalAmount").decimalValue()).isEqualByComparingTo("32.00");
    }

    @Test
    void aListingOlderThanTheOneKeptChangesNoPrice() throws Exception {
        String chair = listedProduct(Map.of("EUR", "219.00"));
        Instant kept = jdbc.sql("SELECT listed_at FROM catalogue WHERE product_id = ?")
                .param(chair)
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();

        Envelope stale = fixture().list(chair, "Office chair", kept.minusSeconds(60), Map.of("EUR", "1.00"));

        await().atMost(WAIT)
                .until(() -> jdbc.sql("SELECT count(*) FROM processed_events WHERE event_id = ?")
                                .param(stale.eventId())
                                .query(Long.class)
                                .single()
                        == 1);
        assertThat(priceOf(chair, "EUR")).isEqualByComparingTo("219.00");
    }

    @Test
    void aListingWithBadPricesKeepsItsGoodOnesAndDropsTheRest() throws Exception {
        String productId = "P-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> prices = new java.util.LinkedHashMap<>();
        prices.put("EUR", "10.00");
        prices.put("EURO", "5.00");
        prices.put("usd", "5.00");
        prices.put("GBP", "-1.00");
        fixture().list(productId, "Odd listing", Instant.now(), prices);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(priceOf(productId, "EUR")).isEqualByComparingTo("10.00"));
        assertThat(jdbc.sql("SELECT count(*) FROM catalogue_prices WHERE product_id = ?")
                        .param(productId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(post(order("EUR", productId, 1, null), null).statusCode()).isEqualTo(201);
    }

    @Test
    void anIdempotentRetryGetsItsOrderEvenAfterThePriceChanged() throws Exception {
        String mouse = listedProduct(Map.of("EUR", "24.50"));
        String key = "retry-" + java.util.UUID.randomUUID();
        HttpResponse<String> first = post(order("EUR", mouse, 1, "24.50"), key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        fixture().list(mouse, "Mouse", Instant.now().plusSeconds(1), Map.of("EUR", "26.00"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(priceOf(mouse, "EUR")).isEqualByComparingTo("26.00"));

        HttpResponse<String> retry = post(order("EUR", mouse, 1, "24.50"), key);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json.readTree(retry.body()).path("id"))
                .isEqualTo(json.readTree(first.body()).path("id"));
    }

    @Test
    void anOrderWhoseTotalDoesNotFitAnOrderIsA422NotA500() throws Exception {
        String yacht = listedProduct(Map.of("EUR", "9999999999.99"));

        assertProblem(post(order("EUR", yacht, 10_000, "9999999999.99"), null), 422, "more than an order can carry");
    }

    @Test
    void aCustomerIdWithAControlCharacterOrALoneSurrogateIsA422NotA500() throws Exception {
        for (String customerId : List.of("c\\u0000nul", "c\\u0007bell", "c\\ud800half")) {
            assertProblem(
                    post(VALID.replace("c-1", customerId), null),
                    422,
                    "customerId: must not contain control characters");
        }
    }

    @Test
    void aCancellationThatStillConflictsAfterItsRetriesIsA409ToRetryNotA500() throws Exception {
        String orderId = json.readTree(post(VALID, null).body()).path("id").asString();
        // Every attempt loses its write, as when other writers keep getting to the order first.
        jdbc.sql("""
                CREATE FUNCTION lose_cancellations() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                    IF NEW.order_id = '%s' AND NEW.event_type = 'CancellationRequested' THEN RETURN NULL; END IF;
                    RETURN NEW;
                END $$""".formatted(orderId)).update();
        jdbc.sql("CREATE TRIGGER lose_cancellations BEFORE INSERT ON order_events FOR EACH ROW "
                        + "EXECUTE FUNCTION lose_cancellations()")
                .update();
        HttpResponse<String> conflict;
        try {
            conflict = cancel(orderId);
        } finally {
            jdbc.sql("DROP TRIGGER lose_cancellations ON order_events").update();
            jdbc.sql("DROP FUNCTION lose_cancellations()").update();
        }

        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(conflict.body()).path("detail").asString()).contains("send the request again");
        assertThat(conflict.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(cancel(orderId).statusCode()).as("sent again").isEqualTo(202);
    }

    /** A new product, listed by an event on inventory's topic as inventory-service would; returns its id. */
    private String listedProduct(Map<String, String> prices) {
        String productId = "P-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        fixture().list(productId, "Product " + productId, Instant.now(), prices);
        await().atMost(WAIT)
                .until(() -> jdbc.sql("SELECT count(*) FROM catalogue WHERE product_id = ?")
                                .param(productId)
                                .query(Long.class)
                                .single()
                        == 1);
        count();
        return productId;
    }

    private BigDecimal priceOf(String productId, String currency) {
        return jdbc.sql("SELECT amount FROM catalogue_prices WHERE product_id = ? AND currency = ?")
                .params(productId, currency)
                .query(BigDecimal.class)
                .optional()
                .orElse(null);
    }

    private static String order(String currency, String productId, int quantity, String unitPrice) {
        ObjectNode order = TestHttp.object().put("customerId", "c-1").put("currency", currency);
        ObjectNode line =
                order.putArray("items").addObject().put("productId", productId).put("quantity", quantity);
        if (unitPrice != null) {
            line.put("unitPrice", new BigDecimal(unitPrice));
        }
        return order.toString();
    }

    private SagaFixture fixture() {
        if (fixture == null) {
            fixture = new SagaFixture(serdes, port);
        }
        return fixture;
    }

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).contains(detail);
        assertNothingWritten();
        return problem;
    }

    private void assertNothingWritten() {
        assertThat(countOf("orders")).isEqualTo(ordersBefore);
        assertThat(countOf("outbox")).isEqualTo(outboxBefore);
    }

    private long countOf(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private HttpResponse<String> post(String body, String idempotencyKey) {
        return idempotencyKey == null
                ? http().post("/orders", body)
                : http().post("/orders", body, "Idempotency-Key", idempotencyKey);
    }

    private HttpResponse<String> cancel(String orderId) {
        return http().post("/orders/" + orderId + "/cancel", null);
    }

    private HttpResponse<String> get(String path) {
        return http().get(path);
    }

    private TestHttp http() {
        // The storefront places orders for any customer, as the bench and the demo do.
        return new TestHttp("http://127.0.0.1:" + port).as(TestStack.get().tokens()::storefront);
    }

    /** A body without a declared length: the client sends it chunked. */
    private static Flow.Publisher<ByteBuffer> chunksOf(String body) {
        return HttpRequest.BodyPublishers.ofString(body)::subscribe;
    }
}
