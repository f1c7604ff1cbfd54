package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Traceparent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Flow;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + OrderServiceApplication.CONFIG_NAME)
class OrderApiTest {

    private static final String VALID = """
            {"customerId":"c-1","currency":"EUR","items":[{"productId":"KB-001","quantity":2,"unitPrice":10.25}]}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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
        jdbc.sql("INSERT INTO catalogue (product_id, name, listed_at) VALUES ('KB-001', 'Keyboard', now()), "
                + "('MS-002', 'Mouse', now()) ON CONFLICT DO NOTHING").update();
        count();
    }

    void count() {
        ordersBefore = countOf("orders");
        outboxBefore = countOf("outbox");
    }

    @Test
    void placesAnOrderWithItsOrderPlacedEventInTheOutbox() throws Exception {
        HttpResponse<String> response = post(VALID, null);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = json.readTree(response.body());
        assertThat(order.path("status").asString()).isEqualTo("PLACED");
        assertThat(order.path("totalAmount").decimalValue()).isEqualByComparingTo("20.50");
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + order.path("id").asString());
        assertThat(jdbc.sql("SELECT event_type FROM outbox WHERE aggregate_id = ?").param(order.path("id").asString())
                .query(String.class).list()).containsExactly("OrderPlaced");

        HttpResponse<String> read = get("/orders/" + order.path("id").asString());
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode shown = json.readTree(read.body());
        assertThat(shown.path("history").valueStream().map(e -> e.path("type").asString()).toList())
                .containsExactly("Placed");
        ((tools.jackson.databind.node.ObjectNode) shown).remove("history");
        ((tools.jackson.databind.node.ObjectNode) order).remove("history");
        assertThat(shown).isEqualTo(order);
    }

    @Test
    void theOrderPlacedEventJoinsTheW3cTraceOfTheRequestThatPlacedIt() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpResponse<String> traced = http.send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(VALID)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(traced.statusCode()).isEqualTo(201);

        Traceparent parent = Traceparent.parse(traceparentOf(json.readTree(traced.body()).path("id").asString()));
        assertThat(parent.traceId()).isEqualTo(traceId);
        // The request's own server span, a child of the caller's, is the event's parent.
        assertThat(parent.spanId()).isNotEqualTo(callerSpan);

        HttpResponse<String> untraced = post(VALID, null);
        Traceparent fresh = Traceparent.parse(traceparentOf(json.readTree(untraced.body()).path("id").asString()));
        assertThat(fresh.traceId()).isNotEqualTo(traceId).hasSize(32);
    }

    private String traceparentOf(String orderId) {
        return jdbc.sql("SELECT traceparent FROM outbox WHERE aggregate_id = ?").param(orderId).query(String.class)
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
        assertProblem(post(VALID.replace("\"items\":[", "\"items\":{\"a\":[").replace("]}", "]}}"), null), 400,
                "items");
    }

    @Test
    void brokenRulesAre422sListingEveryField() throws Exception {
        HttpResponse<String> response = post("""
                {"currency":"eur","items":[{"productId":"KB 001","quantity":0,"unitPrice":-1},
                 {"productId":"MS-002","quantity":1,"unitPrice":1.999}, null]}""", null);

        JsonNode problem = assertProblem(response, 422, "customerId");
        assertThat(problem.path("errors").findValuesAsString("field")).contains("customerId", "currency",
                "items[0].productId", "items[0].quantity", "items[0].unitPrice", "items[1].unitPrice", "items[2]");
    }

    @Test
    void anOrderForProductsNotInTheCatalogueIsA422NamingThem() throws Exception {
        String body = "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":["
                + "{\"productId\":\"XX-1\",\"quantity\":1,\"unitPrice\":1},"
                + "{\"productId\":\"KB-001\",\"quantity\":1,\"unitPrice\":1},"
                + "{\"productId\":\"YY-2\",\"quantity\":1,\"unitPrice\":1}]}";
        String key = "unknown-" + java.util.UUID.randomUUID();

        JsonNode problem = assertProblem(post(body, key), 422, "unknown product(s): XX-1, YY-2");

        assertThat(problem.path("unknownProducts").values()).extracting(JsonNode::asString)
                .containsExactly("XX-1", "YY-2");
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();
    }

    @Test
    void anUnknownCurrencyIsA422() throws Exception {
        assertProblem(post(VALID.replace("EUR", "XYZ"), null), 422, "ISO 4217");
    }

    @Test
    void moreThanAHundredItemsIsA422() throws Exception {
        String items = IntStream.range(0, 101)
                .mapToObj(i -> "{\"productId\":\"P-" + i + "\",\"quantity\":1,\"unitPrice\":1}")
                .collect(Collectors.joining(","));
        assertProblem(post("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":[" + items + "]}", null), 422,
                "at most 100 items");
    }

    @Test
    void anOrderWithoutItemsIsA422() throws Exception {
        assertProblem(post("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":[]}", null), 422, "items");
    }

    @Test
    void anOversizedBodyIsA413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String huge = VALID.replace("c-1", "c".repeat(70_000));
        assertProblem(post(huge, null), 413, "larger than");

        HttpRequest chunked = HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(chunksOf(huge)))
                .build();
        assertProblem(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "larger than");
    }

    @Test
    void anotherMediaTypeIsA415() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(VALID)).build(), HttpResponse.BodyHandlers.ofString());
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
        assertThat(json.readTree(again.body()).path("id")).isEqualTo(json.readTree(first.body()).path("id"));
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

        assertProblem(post(VALID.replace("c-1", "c-2"), key), 422, "already used for a different order");
    }

    @Test
    void anUnusableIdempotencyKeyIsA400() throws Exception {
        assertProblem(post(VALID, "x".repeat(300)), 400, "Idempotency-Key");
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

    private HttpResponse<String> post(String body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A body without a declared length: the client sends it chunked. */
    private static Flow.Publisher<ByteBuffer> chunksOf(String body) {
        return HttpRequest.BodyPublishers.ofString(body)::subscribe;
    }
}
