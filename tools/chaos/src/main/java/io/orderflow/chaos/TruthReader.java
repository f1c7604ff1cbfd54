package io.orderflow.chaos;

import io.orderflow.bench.MoneyAndStockChecks;
import io.orderflow.contracts.Topics;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.provider.PaymentProviderServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the {@link Truth} from where each part of it lives, once a run has come to rest. */
final class TruthReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SCHEMAS = List.of("orders", "inventory", "payments", "shipping");

    private final Connection db;
    private final PaymentProviderServer provider;
    private final Map<String, Object> kafka;
    private final String viewUrl;
    private final Supplier<String> operatorToken;
    private volatile long viewsDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TruthReader(
            Connection db,
            PaymentProviderServer provider,
            Map<String, Object> kafka,
            String viewUrl,
            Supplier<String> operatorToken) {
        this.db = db;
        this.provider = provider;
        this.kafka = kafka;
        this.viewUrl = viewUrl;
        this.operatorToken = operatorToken;
    }

    /** Units of each product: what the run starts from. */
    static Map<String, Integer> stockUnits(Connection db) throws SQLException {
        Map<String, Integer> units = new TreeMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT product_id, available + reserved FROM inventory.stock")) {
            while (rows.next()) {
                units.put(rows.getString(1), rows.getInt(2));
            }
        }
        return units;
    }

    Truth read(
            Map<String, Integer> initialStock,
            Set<String> acceptedByClient,
            Instant runStart,
            List<Truth.FaultWindow> faultWindows)
            throws SQLException, InterruptedException {
        Map<String, Truth.Order> orders = orders();
        Map<String, List<Truth.TopicEvent>> topicEvents = new HashMap<>();
        List<Truth.DeadLetter> deadLetters = new ArrayList<>();
        readTopics(topicEvents, deadLetters);
        Map<String, Truth.ViewRow> views = new ConcurrentHashMap<>();
        Map<String, Truth.CustomerRow> customers = new ConcurrentHashMap<>();
        readViews(orders, views, customers);
        return new Truth(
                initialStock,
                stock(),
                orders,
                reservations(),
                payments(),
                refunds(),
                shipments(),
                provider.charges().stream()
                        .map(charge -> new Truth.Charge(
                                charge.id(), charge.reference(), charge.amount(), charge.currency(), charge.status()))
                        .toList(),
                provider.refunds().stream()
                        .map(refund -> new Truth.Refund(refund.id(), refund.chargeId(), refund.amount()))
                        .toList(),
                topicEvents,
                outboxRows(),
                deadLetters,
                views,
                customers,
                revenue(runStart),
                acceptedByClient,
                faultWindows);
    }

    private Map<String, Truth.Order> orders() throws SQLException {
        Map<String, BigDecimal> totals = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(MoneyAndStockChecks.CATALOGUE_TOTALS)) {
            while (rows.next()) {
                totals.put(rows.getString(1), rows.getBoolean(3) ? rows.getBigDecimal(2) : null);
            }
        }
        Map<String, List<Truth.StoredEvent>> events = new HashMap<>();
        Map<String, JsonNode> placed = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT order_id, version, event_type, occurred_at, payload"
                        + " FROM orders.order_events ORDER BY order_id, version")) {
            while (rows.next()) {
                String id = rows.getString(1);
                events.computeIfAbsent(id, key -> new ArrayList<>())
                        .add(new Truth.StoredEvent(
                                rows.getLong(2),
                                rows.getString(3),
                                rows.getTimestamp(4).toInstant()));
                if (rows.getString(3).equals("Placed")) {
                    placed.put(id, JSON.readTree(rows.getString(5)));
                }
            }
        }
        Map<String, Truth.Order> orders = new HashMap<>();
        for (Map.Entry<String, List<Truth.StoredEvent>> order : events.entrySet()) {
            JsonNode payload = placed.get(order.getKey());
            Map<String, Integer> lines = new TreeMap<>();
            String customer = null;
            String currency = null;
            Instant due = null;
            if (payload != null) {
                customer = payload.path("customerId").asString();
                currency = payload.path("currency").asString();
                due = payload.hasNonNull("paymentDue")
                        ? Instant.parse(payload.path("paymentDue").asString())
                        : null;
                for (JsonNode line : payload.path("lines")) {
                    lines.merge(
                            line.path("productId").asString(),
                            line.path("quantity").asInt(),
                            Integer::sum);
                }
            }
            orders.put(
                    order.getKey(),
                    new Truth.Order(
                            order.getKey(),
                            customer,
                            currency,
                            totals.get(order.getKey()),
                            lines,
                            order.getValue().get(0).occurredAt(),
                            due,
                            List.copyOf(order.getValue())));
        }
        return orders;
    }

    private Map<String, Truth.StockRow> stock() throws SQLException {
        Map<String, Truth.StockRow> stock = new TreeMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT product_id, available, reserved FROM inventory.stock")) {
            while (rows.next()) {
                stock.put(rows.getString(1), new Truth.StockRow(rows.getInt(2), rows.getInt(3)));
            }
        }
        return stock;
    }

    private Map<String, Truth.Reservation> reservations() throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        Map<String, Map<String, Integer>> lines = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT r.order_id, r.status, l.product_id, l.quantity"
                        + " FROM inventory.reservations r"
                        + " LEFT JOIN inventory.reservation_lines l ON l.order_id = r.order_id")) {
            while (rows.next()) {
                statuses.put(rows.getString(1), rows.getString(2));
                Map<String, Integer> of = lines.computeIfAbsent(rows.getString(1), key -> new TreeMap<>());
                if (rows.getString(3) != null) {
                    of.put(rows.getString(3), rows.getInt(4));
                }
            }
        }
        Map<String, Truth.Reservation> reservations = new HashMap<>();
        statuses.forEach((order, status) -> reservations.put(order, new Truth.Reservation(status, lines.get(order))));
        return reservations;
    }

    private Map<String, Truth.PaymentRow> payments() throws SQLException {
        Map<String, Truth.PaymentRow> payments = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(
                        "SELECT order_id, status, charge_id, amount, currency FROM payments.payments")) {
            while (rows.next()) {
                payments.put(
                        rows.getString(1),
                        new Truth.PaymentRow(
                                rows.getString(2), rows.getString(3), rows.getBigDecimal(4), rows.getString(5)));
            }
        }
        return payments;
    }

    private Map<String, Truth.RefundRow> refunds() throws SQLException {
        Map<String, Truth.RefundRow> refunds = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT order_id, status, charge_id, amount FROM payments.refunds")) {
            while (rows.next()) {
                refunds.put(
                        rows.getString(1),
                        new Truth.RefundRow(rows.getString(2), rows.getString(3), rows.getBigDecimal(4)));
            }
        }
        return refunds;
    }

    private Map<String, Truth.ShipmentRow> shipments() throws SQLException {
        Map<String, Truth.ShipmentRow> shipments = new HashMap<>();
        try (Statement sql = db.createStatement();
                ResultSet rows =
                        sql.executeQuery("SELECT order_id, cancelled_at IS NULL AND tracking_number IS NOT NULL"
                                + " FROM shipping.shipments")) {
            while (rows.next()) {
                shipments.put(rows.getString(1), new Truth.ShipmentRow(rows.getBoolean(2)));
            }
        }
        return shipments;
    }

    private Map<String, Long> outboxRows() throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        for (String schema : SCHEMAS) {
            try (Statement sql = db.createStatement();
                    ResultSet count = sql.executeQuery("SELECT (SELECT count(*) FROM " + schema + ".outbox)"
                            + " + (SELECT count(*) FROM " + schema + ".outbox_parked)")) {
                count.next();
                rows.put(schema, count.getLong(1));
            }
        }
        return rows;
    }

    /** Every committed record of the four topics and their dead-letter topics, from the beginning to the end. */
    private void readTopics(Map<String, List<Truth.TopicEvent>> events, List<Truth.DeadLetter> deadLetters) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<String> names = new ArrayList<>();
            for (Topic topic : Topics.ALL) {
                names.add(topic.name());
                names.add(topic.deadLetterTopic());
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                consumer.partitionsFor(name, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.currentTimeMillis() + 300_000;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the topics could not be read to their end within 5 minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().endsWith(".dlq")) {
                        deadLetters.add(new Truth.DeadLetter(
                                record.topic(),
                                record.key(),
                                header(record, EventHeaders.EVENT_TYPE),
                                header(record, "kafka_dlt-exception-message")));
                    } else if (record.key() != null) {
                        String version = header(record, EventHeaders.AGGREGATE_VERSION);
                        events.computeIfAbsent(record.key(), key -> new ArrayList<>())
                                .add(new Truth.TopicEvent(
                                        record.topic(),
                                        record.partition(),
                                        record.offset(),
                                        header(record, EventHeaders.EVENT_TYPE),
                                        header(record, EventHeaders.EVENT_ID),
                                        header(record, EventHeaders.CORRELATION_ID),
                                        header(record, EventHeaders.CAUSATION_ID),
                                        version == null ? -1 : Long.parseLong(version)));
                    }
                }
            }
        }
        // Product announcements are keyed by product, not by order: they are not part of any order's history.
        events.keySet().removeIf(key -> !key.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every order's view, waiting for it to reach the order's version, and every customer's figures. */
    private void readViews(
            Map<String, Truth.Order> orders, Map<String, Truth.ViewRow> views, Map<String, Truth.CustomerRow> customers)
            throws InterruptedException {
        viewsDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        ExecutorService readers = Executors.newFixedThreadPool(8);
        for (Truth.Order order : orders.values()) {
            readers.submit(() -> {
                Answer answer = get("/views/orders/" + order.id() + "?minVersion=" + order.publishedVersion());
                JsonNode view = answer.body();
                if (view == null) {
                    views.put(
                            order.id(),
                            new Truth.ViewRow(
                                    "no view: HTTP " + answer.status() + " " + abbreviated(answer.text()),
                                    -1,
                                    null,
                                    null));
                } else {
                    views.put(
                            order.id(),
                            new Truth.ViewRow(
                                    view.path("status").asString(),
                                    view.path("version").asLong(),
                                    view.hasNonNull("totalAmount")
                                            ? view.path("totalAmount").decimalValue()
                                            : null,
                                    view.path("payment").hasNonNull("status")
                                            ? view.path("payment")
                                                    .path("status")
                                                    .asString()
                                            : null));
                }
                return null;
            });
        }
        readers.shutdown();
        if (!readers.awaitTermination(10, TimeUnit.MINUTES)) {
            readers.shutdownNow();
            throw new IllegalStateException("reading the views took longer than 10 minutes");
        }
        Set<String> customerIds = new java.util.HashSet<>();
        orders.values().forEach(order -> customerIds.add(order.customerId()));
        // Customers' figures come through a repartition behind the orders' views: read until two reads agree.
        Map<String, Truth.CustomerRow> previous = Map.of();
        for (int read = 0; read < 20; read++) {
            viewsDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            Map<String, Truth.CustomerRow> now = readCustomers(customerIds);
            if (now.equals(previous)) {
                break;
            }
            previous = now;
            Thread.sleep(3_000);
        }
        customers.putAll(previous);
    }

    private Map<String, Truth.CustomerRow> readCustomers(Set<String> customerIds) throws InterruptedException {
        Map<String, Truth.CustomerRow> customers = new ConcurrentHashMap<>();
        ExecutorService readers = Executors.newFixedThreadPool(8);
        for (String customer : customerIds) {
            readers.submit(() -> {
                JsonNode view = get("/views/customers/" + customer + "/orders").body();
                if (view != null) {
                    Map<String, BigDecimal> value = new TreeMap<>();
                    view.path("lifetimeValue")
                            .properties()
                            .forEach(entry -> value.put(
                                    entry.getKey(),
                                    entry.getValue().decimalValue().stripTrailingZeros()));
                    customers.put(
                            customer,
                            new Truth.CustomerRow(view.path("orderCount").asLong(), value));
                }
                return null;
            });
        }
        readers.shutdown();
        if (!readers.awaitTermination(10, TimeUnit.MINUTES)) {
            readers.shutdownNow();
            throw new IllegalStateException("reading the customers' views took longer than 10 minutes");
        }
        return customers;
    }

    private static String abbreviated(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    private Map<String, BigDecimal> revenue(Instant runStart) {
        Instant from = runStart.minus(Duration.ofMinutes(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant to = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        viewsDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        JsonNode revenue = get("/views/revenue?from=" + from + "&to=" + to).body();
        Map<String, BigDecimal> totals = new TreeMap<>();
        if (revenue != null) {
            revenue.path("totals")
                    .properties()
                    .forEach(
                            entry -> totals.put(entry.getKey(), entry.getValue().decimalValue()));
        }
        return totals;
    }

    /** What the read side answered last to a query. */
    private record Answer(int status, JsonNode body, String text) {}

    /**
     * The body of a 200; asked again while the read side answers anything else (an instance restoring its stores after
     * a crash answers 503, one whose partitions are moving may not have the key yet), until three minutes after the
     * reading of the views began.
     */
    private Answer get(String path) {
        long deadline = viewsDeadline;
        Answer last = new Answer(-1, null, "no answer");
        while (true) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(viewUrl + path))
                                .header("Authorization", "Bearer " + operatorToken.get())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return new Answer(200, JSON.readTree(response.body()), response.body());
                }
                last = new Answer(response.statusCode(), null, response.body());
            } catch (java.io.IOException e) {
                last = new Answer(-1, null, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            if (System.nanoTime() > deadline) {
                return last;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }
}
