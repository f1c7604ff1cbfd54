package io.orderflow.view;

import static io.orderflow.view.topology.SagaEvents.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.devstack.Tokens;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.view.topology.SagaEvents;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of the view on the real broker, sharing one application id: every key is answered by both (the
 * owner from its store, the other by forwarding); one instance goes down and comes back with an empty state
 * directory, and the views come back from their changelogs, with no event counted twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderViewInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Whole minutes back, so that every payment of the test falls in windows that are still open.
    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(120);
    private static final int ORDERS = 24;
    private static final int ORDERS_DURING_THE_CRASH = 60;

    private static final String CUSTOMER = "c-" + UUID.randomUUID();
    private static final String APPLICATION_ID =
            "order-view-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> orderIds = new ArrayList<>();
    private static ViewInstance first;
    private static ViewInstance second;
    private static RawKafka records;
    private static SagaEvents events;

    @BeforeAll
    static void twoInstances() throws Exception {
        String applicationId = APPLICATION_ID;
        first = new ViewInstance(
                        applicationId,
                        Ports.free(),
                        Files.createTempDirectory("view-a"),
                        "--orderflow.view.read-your-writes-limit=2s")
                .start();
        second = new ViewInstance(
                        applicationId,
                        Ports.free(),
                        Files.createTempDirectory("view-b"),
                        "--orderflow.view.read-your-writes-limit=2s")
                .start();
        records = new RawKafka(TestStack.get().bootstrapServers());
        events = new SagaEvents(new EventSerdes(
                new SchemaRegistryClient(TestStack.get().schemaRegistryUrl(), Duration.ofSeconds(5)), true));
        records.sendAll(confirmedOrders(ORDERS));
    }

    /** The records of {@code count} orders that went all the way, taken into {@link #orderIds}. */
    private static List<ProducerRecord<String, byte[]>> confirmedOrders(int count) {
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String orderId = UUID.randomUUID().toString();
            Instant at = T0.plusSeconds(orderIds.size() % 60);
            orderIds.add(orderId);
            SagaEvents.Published authorized = events.authorized(orderId, "10.00", at.plusMillis(300));
            for (SagaEvents.Published event : List.of(
                    events.placed(orderId, CUSTOMER, "10.00", at, line("KB-001", 1, "10.00")),
                    events.reserved(orderId, at.plusMillis(100)),
                    authorized,
                    // Published twice, as a relay that crashed before marking it sent would.
                    authorized,
                    events.scheduled(orderId, at.plusMillis(400)),
                    events.confirmed(orderId, 5, at.plusMillis(500)))) {
                batch.add(event.toProducerRecord());
            }
        }
        return batch;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        first.close();
        second.close();
        records.close();
        FileSystemUtils.deleteRecursively(first.stateDir().toFile());
        FileSystemUtils.deleteRecursively(second.stateDir().toFile());
    }

    @Test
    @Order(1)
    void everyOrderIsAnsweredByBothInstancesAndEachInstanceOwnsSome() {
        await().atMost(WAIT).until(() -> allConfirmedOn(first) && allConfirmedOn(second));

        // Streams may still move a task after both have caught up (a warm-up replica taking over answers 503 for a
        // moment), so the comparison is retried as a whole until the assignment holds still.
        await().atMost(WAIT).untilAsserted(() -> {
            Set<String> owners = new TreeSet<>();
            for (String orderId : orderIds) {
                HttpResponse<String> fromFirst = first.get("/views/orders/" + orderId);
                HttpResponse<String> fromSecond = second.get("/views/orders/" + orderId);
                assertThat(fromFirst.statusCode()).as(fromFirst.body()).isEqualTo(200);
                assertThat(fromFirst.body()).isEqualTo(fromSecond.body());
                String owner =
                        fromFirst.headers().firstValue("X-Orderflow-Served-By").orElseThrow();
                assertThat(fromSecond.headers().firstValue("X-Orderflow-Served-By"))
                        .hasValue(owner);
                owners.add(owner);
            }
            assertThat(owners).containsExactlyInAnyOrder(first.address(), second.address());
        });
        assertThat(json(first.get("/views/orders/" + orderIds.get(0))).path("timeline"))
                .hasSize(5);
    }

    @Test
    @Order(2)
    void itsApiDocumentIsValidOpenApiAndDescribesEveryEndpointItServes() {
        ApiDocsCheck.Service.at(
                        "http://" + first.address(), TestStack.get().tokens().operator())
                .assertDescribesItself("GET /views/orders/{orderId}", "GET /ops/lag");
    }

    @Test
    @Order(2)
    void itsEventDocumentIsValidAsyncApiAndDescribesWhatItReads() {
        AsyncApiCheck.Service document = AsyncApiCheck.Service.at("http://" + first.address());
        Set<Class<? extends SpecificRecord>> projected = Topics.ALL.stream()
                .flatMap(topic -> topic.eventTypes().classes().stream())
                .filter(type -> type != ProductListed.class)
                .collect(Collectors.toSet());

        document.assertDescribes(
                new EventInterface(
                        "order-view", List.of(), List.of(new Subscription(APPLICATION_ID, Topics.ALL, projected))),
                TestStack.get().bootstrapServers());
        assertThat(document.groups()).containsExactly(APPLICATION_ID);
    }

    @Test
    @Order(2)
    void theViewsInternalTopicsNeedAsManyReplicasForAWriteAsConfigured() {
        try (Admin kafka =
                Admin.create(Map.of("bootstrap.servers", TestStack.get().bootstrapServers()))) {
            await().atMost(WAIT).untilAsserted(() -> {
                List<ConfigResource> internal = kafka.listTopics().names().get().stream()
                        .filter(name -> name.startsWith(APPLICATION_ID + "-"))
                        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .toList();
                assertThat(internal).as("changelog and repartition topics").isNotEmpty();
                kafka.describeConfigs(internal).all().get().forEach((topic, config) -> {
                    ConfigEntry minInsync = config.get("min.insync.replicas");
                    // Set on the topic itself, as the services' topics are, rather than left to the broker's default.
                    assertThat(minInsync.source())
                            .as(topic.name())
                            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                    assertThat(minInsync.value()).as(topic.name()).isEqualTo("1");
                });
            });
        }
    }

    @Test
    @Order(2)
    void aggregatesAgreeOnBothInstancesAndCountTheDuplicatePaymentOnce() {
        for (ViewInstance instance : List.of(first, second)) {
            assertAggregatesExact(instance);
        }
    }

    @Test
    @Order(3)
    void aCustomersQueryIsDecidedByTheInstanceThatOwnsTheKeyWithTheCustomersOwnToken() {
        Tokens tokens = TestStack.get().tokens();
        String alice = tokens.customer("alice");
        String bob = tokens.customer("bob");
        String orderId = UUID.randomUUID().toString();
        records.send(events.placed(orderId, "alice", "5.00", Instant.now(), line("MS-002", 1, "5.00"))
                .toProducerRecord());
        await().atMost(WAIT).until(() -> first.get("/views/orders/" + orderId).statusCode() == 200);
        String owner = first.get("/views/orders/" + orderId)
                .headers()
                .firstValue("X-Orderflow-Served-By")
                .orElseThrow();
        ViewInstance owning = owner.equals(first.address()) ? first : second;
        ViewInstance forwarding = owning == first ? second : first;

        assertThat(forwarding.get("/views/orders/" + orderId, alice).statusCode())
                .as("alice's own order, through the instance that does not hold it")
                .isEqualTo(200);
        HttpResponse<String> bobs = forwarding.get("/views/orders/" + orderId, bob);
        assertThat(bobs.statusCode())
                .as("bob asking for it there: " + bobs.body())
                .isEqualTo(404);
        assertThat(owning.get("/views/orders/" + orderId, bob, "X-Orderflow-Forwarded-By", forwarding.address())
                        .statusCode())
                .as("bob posing as the other instance")
                .isEqualTo(404);
        // alice's orders come through a repartition topic, after her order's own view: wait for them too.
        await().atMost(WAIT)
                .until(() -> owning.get("/views/customers/alice/orders", alice).statusCode() == 200);
        for (ViewInstance instance : List.of(first, second)) {
            assertThat(instance.get("/views/customers/alice/orders", alice).statusCode())
                    .isEqualTo(200);
            assertThat(instance.get("/views/customers/alice/orders", bob).statusCode())
                    .isEqualTo(403);
            assertThat(instance.get("/views/revenue", alice).statusCode()).isEqualTo(403);
        }
    }

    @Test
    @Order(3)
    void aReaderOfItsOwnWriteWaitsForItAndIsToldWhenItDoesNotComeInTime() {
        String orderId = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> waiting =
                CompletableFuture.supplyAsync(() -> first.get("/views/orders/" + orderId + "?minVersion=1"));
        // The query waits on whichever instance owns the order.
        await().atMost(WAIT).until(() -> waitingReads(first) + waitingReads(second) == 1);
        records.send(events.placed(orderId, "c-ryw", "5.00", Instant.now(), line("MS-002", 1, "5.00"))
                .toProducerRecord());

        HttpResponse<String> answer = waiting.join();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("version").asLong()).isEqualTo(1);

        HttpResponse<String> tooFar = second.get("/views/orders/" + orderId + "?minVersion=9");
        assertThat(tooFar.statusCode()).isEqualTo(503);
        assertThat(tooFar.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(tooFar).path("detail").asString()).contains("is at version 1 and did not reach version 9");
        assertThat(first.get("/views/orders/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(first.get("/views/orders/x?minVersion=abc").statusCode()).isEqualTo(400);
        assertThat(first.get("/views/revenue?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                        .statusCode())
                .isEqualTo(400);
        assertThat(first.get("/views/products/top?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void anInstanceKilledWhileEventsFlowComesBackFromTheChangelogsAndNothingIsCountedTwice() throws Exception {
        List<String> earlier = List.copyOf(orderIds);
        List<ProducerRecord<String, byte[]>> burst = confirmedOrders(ORDERS_DURING_THE_CRASH);
        List<String> during = orderIds.subList(earlier.size(), orderIds.size());
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> records.sendAll(burst));
        // Killed once it is applying the burst, with transactions in flight: under exactly-once they are aborted,
        // and the survivor does them again.
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> during.stream().anyMatch(orderId -> {
                    HttpResponse<String> answer = second.get("/views/orders/" + orderId);
                    return answer.statusCode() == 200
                            && answer.headers()
                                    .firstValue("X-Orderflow-Served-By")
                                    .orElse("")
                                    .equals(second.address());
                }));
        second.kill();
        publishing.join();
        FileSystemUtils.deleteRecursively(second.stateDir().toFile());
        // The survivor takes every partition over, restoring the other's stores from their changelogs.
        await().atMost(WAIT).ignoreExceptions().until(() -> allConfirmedOn(first));
        assertAggregatesExact(first);

        second.start();
        await().atMost(WAIT).ignoreExceptions().until(() -> allConfirmedOn(second) && allConfirmedOn(first));
        for (ViewInstance instance : List.of(first, second)) {
            assertAggregatesExact(instance);
        }
    }

    @Test
    @Order(5)
    void aRebuildFromTheTopicsHistoryGivesTheSameViews() {
        String before = first.get("/views/orders/" + orderIds.get(0)).body();
        HttpResponse<String> tooEarly = first.post("/views/admin/reset");
        assertThat(tooEarly.statusCode()).isEqualTo(409);
        assertThat(json(tooEarly).path("detail").asString()).contains("this instance still runs");

        assertThat(first.post("/views/admin/stop").statusCode()).isEqualTo(200);
        assertThat(second.post("/views/admin/stop").statusCode()).isEqualTo(200);
        assertThat(first.get("/views/orders/" + orderIds.get(0)).statusCode()).isEqualTo(503);
        HttpResponse<String> unforced = first.post("/views/admin/reset");
        assertThat(unforced.statusCode()).isEqualTo(409);
        assertThat(json(unforced).path("detail").asString()).contains("reset with force=true");
        HttpResponse<String> reset = first.post("/views/admin/reset?force=true");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(json(reset).path("deletedTopics").valueStream().map(JsonNode::asString))
                .anyMatch(topic -> topic.endsWith("order-views-changelog"))
                .anyMatch(topic -> topic.endsWith("-repartition"));
        assertThat(first.post("/views/admin/start?clean=true").statusCode()).isEqualTo(200);
        assertThat(second.post("/views/admin/start?clean=true").statusCode()).isEqualTo(200);

        await().atMost(WAIT).ignoreExceptions().until(() -> allConfirmedOn(first) && allConfirmedOn(second));
        for (ViewInstance instance : List.of(first, second)) {
            assertAggregatesExact(instance);
        }
        assertThat(first.get("/views/orders/" + orderIds.get(0)).body()).isEqualTo(before);
        await().atMost(WAIT)
                .until(() ->
                        json(first.get("/views/admin/status")).path("behind").asLong() == 0);
    }

    private static void assertAggregatesExact(ViewInstance instance) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            JsonNode customer = json(instance.get("/views/customers/" + CUSTOMER + "/orders"));
            BigDecimal expected = new BigDecimal("10.00").multiply(BigDecimal.valueOf(orderIds.size()));
            assertThat(customer.path("orderCount").asLong()).isEqualTo(orderIds.size());
            assertThat(customer.path("lifetimeValue").path("EUR").decimalValue())
                    .isEqualByComparingTo(expected);
            JsonNode revenue = json(instance.get("/views/revenue?from=" + T0 + "&to=" + T0.plusSeconds(600)));
            assertThat(revenue.path("totals").path("EUR").decimalValue()).isEqualByComparingTo(expected);
            JsonNode top = json(instance.get("/views/products/top"));
            assertThat(top.path("products").get(0).path("productId").asString()).isEqualTo("KB-001");
            assertThat(top.path("products").get(0).path("units").asLong()).isEqualTo(orderIds.size());
        });
    }

    private static boolean allConfirmedOn(ViewInstance instance) {
        for (String orderId : orderIds) {
            HttpResponse<String> answer = instance.get("/views/orders/" + orderId);
            if (answer.statusCode() != 200
                    || !json(answer).path("status").asString().equals("CONFIRMED")) {
                return false;
            }
        }
        return true;
    }

    private static int waitingReads(ViewInstance instance) {
        return json(instance.get("/actuator/metrics/orderflow.view.reads.waiting"))
                .path("measurements")
                .get(0)
                .path("value")
                .asInt();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
