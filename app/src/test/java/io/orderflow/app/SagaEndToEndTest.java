package io.orderflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.contracts.Topics;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.KafkaBroker;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.Records;
import io.orderflow.devstack.SchemaRegistryProcess;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.provider.Behaviour;
import io.orderflow.provider.PaymentProviderServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first slice of the saga across real processes: order-service and inventory-service each in its own JVM, on
 * the embedded broker and PostgreSQL, killed and stopped the way production does it.
 */
class SagaEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Map<ServiceName, ServiceProcess> services = new EnumMap<>(ServiceName.class);
    private static DevStack stack;
    private static SchemaRegistryProcess registry;
    private static PaymentProviderServer paymentProvider;
    private static Map<String, String> environment;
    private static Path logs;
    private static OrdersClient client;
    private static Records records;

    @BeforeAll
    static void startServices() throws Exception {
        stack = TestStack.get();
        logs = Files.createTempDirectory("orderflow-e2e-logs-");
        // The registry in a process of its own, as in production; its own topic keeps it apart from the
        // registry embedded in this JVM's test stack.
        registry = SchemaRegistryProcess.start(stack.bootstrapServers(), "_schemas_e2e",
                logs.resolve("schema-registry.log"), WAIT);
        paymentProvider = PaymentProviderServer.start(0);
        environment = new java.util.HashMap<>(stack.serviceEnvironment());
        environment.put(StackSettings.SCHEMA_REGISTRY_URL, registry.url());
        environment.put("PAYMENT_PROVIDER_URL", paymentProvider.url());
        for (ServiceName name : ServiceName.values()) {
            services.put(name, ServiceProcess.start(name, Ports.free(), environment, logs));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitHealthy(WAIT);
        }
        client = new OrdersClient(services.get(ServiceName.ORDER).baseUrl(),
                services.get(ServiceName.INVENTORY).baseUrl());
        records = new Records(stack.bootstrapServers());
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
    void anOrderIsReservedAndAShortOrderIsRejectedWithStockUnchanged() throws Exception {
        int keyboards = client.available("KB-001");
        int chairs = client.available("CH-005");

        String reserved = client.place(key(), "KB-001", 2);
        await().atMost(WAIT).until(() -> client.status(reserved).equals("RESERVED"));
        assertThat(client.available("KB-001")).isEqualTo(keyboards - 2);

        String rejected = client.place(key(), "CH-005", 10_000);
        await().atMost(WAIT).until(() -> client.status(rejected).equals("REJECTED"));
        assertThat(client.order(rejected).path("rejectionReason").asString())
                .contains("INSUFFICIENT_STOCK", "CH-005");
        assertThat(client.available("CH-005")).isEqualTo(chairs);

        String payments = services.get(ServiceName.PAYMENT).baseUrl();
        await().atMost(WAIT).until(() -> OrdersClient.statusOf(payments + "/payments/" + reserved) == 200);
        assertThat(paymentProvider.chargesFor(reserved)).as("the reserved order is charged once").hasSize(1);
        assertThat(OrdersClient.statusOf(payments + "/payments/" + rejected)).as("a rejected order is never charged")
                .isEqualTo(404);
        assertThat(paymentProvider.chargesFor(rejected)).isEmpty();

        String shipping = services.get(ServiceName.SHIPPING).baseUrl();
        await().atMost(WAIT).until(() -> OrdersClient.statusOf(shipping + "/shipments/" + reserved) == 200);
        assertThat(OrdersClient.statusOf(shipping + "/shipments/" + rejected)).isEqualTo(404);
    }

    @Test
    void aDeclinedPaymentGivesTheStockBackAndNothingShips() throws Exception {
        int hubs = client.available("HB-004");
        // 7 x 12.50: only this order's amount is declined, whatever else is in flight.
        paymentProvider.behave(Behaviour.declining(new BigDecimal("87.50")));
        try {
            String declined = client.place(key(), "HB-004", 7);
            String payments = services.get(ServiceName.PAYMENT).baseUrl();
            await().atMost(WAIT).until(() -> OrdersClient.statusOf(payments + "/payments/" + declined) == 200);
            await().atMost(WAIT).until(() -> client.available("HB-004") == hubs);
            assertThat(OrdersClient.statusOf(services.get(ServiceName.SHIPPING).baseUrl() + "/shipments/"
                    + declined)).isEqualTo(404);
            assertThat(records.readAll(Topics.INVENTORY.name(), Records.keyed(declined)))
                    .extracting(r -> Records.header(r, EventHeaders.EVENT_TYPE))
                    .containsExactly("StockReserved", "StockReleased");
        } finally {
            paymentProvider.behave(Behaviour.healthy());
        }
    }

    @Test
    void eventsTravelInTheWireFormatOfTheRegistryProcess() throws Exception {
        String orderId = client.place(key(), "MS-002", 1);
        await().atMost(WAIT).until(() -> client.status(orderId).equals("RESERVED"));

        for (String topic : List.of(Topics.ORDERS.name(), Topics.INVENTORY.name())) {
            ConsumerRecord<String, byte[]> event = records.readAll(topic, Records.keyed(orderId)).get(0);
            assertThat(event.value()[0]).as("magic byte").isZero();
            int schemaId = java.nio.ByteBuffer.wrap(event.value(), 1, 4).getInt();
            String type = Records.header(event, EventHeaders.EVENT_TYPE);
            var schema = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5)).schemaById(schemaId);
            assertThat(schema.getName()).as("schema " + schemaId + " of the registry process").isEqualTo(type);
        }
    }

    @Test
    void orderServiceKnowsInventorysCatalogueAndRefusesUnknownProducts() throws Exception {
        assertThat(client.statusOfPlacing(key(), "XX-999", 1)).isEqualTo(422);
        assertThat(client.statusOfPlacing(key(), "LT-006", 1)).isEqualTo(201);
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

        await().atMost(WAIT).until(() -> client.status(orderId).equals("RESERVED"));
        assertThat(outboxRowsOf("orders", orderId)).isZero();
        assertThat(records.readAll(Topics.ORDERS.name(), Records.keyed(orderId))).hasSize(1);
    }

    @Test
    void sigtermUnderLoadLosesAndDuplicatesNothing() throws Exception {
        setAvailable("HB-004", 100_000);
        int before = client.available("HB-004");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            load.submit(() -> placeUntilStopped("load-" + UUID.randomUUID() + "-" + thread, loading, accepted));
        }

        await().atMost(WAIT).until(() -> accepted.size() >= 40);
        assertThat(services.get(ServiceName.INVENTORY).stop(Duration.ofSeconds(45))).as("graceful stop").isTrue();
        await().atMost(WAIT).until(() -> accepted.size() >= 80);
        restart(ServiceName.INVENTORY);
        assertThat(services.get(ServiceName.ORDER).stop(Duration.ofSeconds(45))).as("graceful stop").isTrue();
        restart(ServiceName.ORDER);
        await().atMost(WAIT).until(() -> accepted.size() >= 160);
        loading.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        Set<String> orders = Set.copyOf(accepted.values());
        assertThat(orders).hasSameSizeAs(accepted.keySet());
        await().atMost(WAIT).until(() -> {
            for (String order : orders) {
                if (!client.status(order).equals("RESERVED")) {
                    return false;
                }
            }
            return true;
        });
        assertThat(countByKey(Topics.ORDERS.name(), orders)).allSatisfy((order, count) ->
                assertThat(count).as("OrderPlaced records of " + order).isEqualTo(1));
        assertThat(countByKey(Topics.INVENTORY.name(), orders)).allSatisfy((order, count) ->
                assertThat(count).as("inventory answers to " + order).isEqualTo(1));
        assertThat(countByKey(Topics.ORDERS.name(), orders)).hasSize(orders.size());
        assertThat(countByKey(Topics.INVENTORY.name(), orders)).hasSize(orders.size());
        assertThat(client.available("HB-004")).isEqualTo(before - orders.size());
    }

    /** Places orders one by one; a request that fails (a service is down) is retried with the same key. */
    private static void placeUntilStopped(String prefix, AtomicBoolean loading, Map<String, String> accepted) {
        int n = 0;
        while (loading.get()) {
            String key = prefix + "-" + n;
            try {
                accepted.put(key, client.place(key, "HB-004", 1));
                n++;
            } catch (IOException e) {
                // order-service is restarting: back off briefly, then retry the same key
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Map<String, Long> countByKey(String topic, Set<String> keys) {
        List<ConsumerRecord<String, byte[]>> all = records.readAll(topic, record -> keys.contains(record.key()));
        return all.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private static void restart(ServiceName name) throws Exception {
        ServiceProcess old = services.get(name);
        ServiceProcess fresh = ServiceProcess.start(name, old.port(), environment, logs);
        services.put(name, fresh);
        fresh.awaitHealthy(WAIT);
    }

    private static long outboxRowsOf(String schema, String aggregateId) throws SQLException {
        try (Connection connection = connect(); var statement = connection.prepareStatement(
                "SELECT count(*) FROM " + schema + ".outbox WHERE aggregate_id = ?")) {
            statement.setString(1, aggregateId);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void setAvailable(String product, int available) throws SQLException {
        try (Connection connection = connect(); var statement = connection.prepareStatement(
                "UPDATE inventory.stock SET available = ? WHERE product_id = ?")) {
            statement.setInt(1, available);
            statement.setString(2, product);
            statement.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.databaseUser(), stack.databasePassword());
    }

    private static String key() {
        return "e2e-" + UUID.randomUUID();
    }
}
