package io.orderflow.app;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Places a few orders over HTTP and prints how each one moves through the saga. */
final class Demo {

    private static final List<DemoOrder> ORDERS = List.of(
            new DemoOrder("alice", "EUR", List.of(new Item("KB-001", 1, "89.90"), new Item("MS-002", 2, "24.50"))),
            new DemoOrder("bob", "USD", List.of(new Item("MN-003", 1, "249.00"))),
            new DemoOrder("carol", "EUR", List.of(new Item("LT-006", 1, "39.00"))),
            new DemoOrder("dave", "GBP", List.of(new Item("CH-005", 2, "199.00"), new Item("HB-004", 1, "35.00"))));
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String orders;
    private final String inventory;
    private final String payments;
    private final String shipping;

    Demo(String ordersUrl, String inventoryUrl, String paymentsUrl, String shippingUrl) {
        this.orders = ordersUrl;
        this.inventory = inventoryUrl;
        this.payments = paymentsUrl;
        this.shipping = shippingUrl;
    }

    void run(int count) throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Console.heading("Placing " + count + " demo orders over HTTP (POST /orders)");
        Map<String, Tracked> tracked = new LinkedHashMap<>();
        List<String> firstRequest = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DemoOrder order = ORDERS.get(i % ORDERS.size());
            String key = "demo-" + run + "-" + (i + 1);
            String body = order.json();
            if (i == 0) {
                firstRequest.add(key);
                firstRequest.add(body);
            }
            HttpResponse<String> response = post(key, body);
            JsonNode created = json.readTree(response.body());
            String id = created.path("id").asString();
            Console.line(String.format("  #%d %-6s %-26s %s %8s  -> %d, order %s  %s", i + 1, order.customer(),
                    order.describeItems(), order.currency(), order.total().toPlainString(), response.statusCode(),
                    shortId(id), created.path("status").asString()));
            tracked.put(id, new Tracked(i + 1, created.path("status").asString()));
        }
        if (!firstRequest.isEmpty()) {
            HttpResponse<String> again = post(firstRequest.get(0), firstRequest.get(1));
            String id = json.readTree(again.body()).path("id").asString();
            Console.line(String.format("  #1 sent again with the same Idempotency-Key -> %d, order %s %s",
                    again.statusCode(), shortId(id),
                    tracked.containsKey(id) ? "(the same order, not a second one)" : Console.red("(a NEW order!)")));
        }
        HttpResponse<String> unknown = post("demo-" + run + "-unknown", new DemoOrder("erin", "EUR",
                List.of(new Item("XX-999", 1, "10.00"))).json());
        Console.line(String.format("  an order for XX-999 (not in the catalogue) -> %d, %s", unknown.statusCode(),
                json.readTree(unknown.body()).path("detail").asString()));

        Console.heading("Following the saga (GET /orders/{id})");
        long started = System.nanoTime();
        long deadline = started + SETTLE_TIMEOUT.toNanos();
        while (tracked.values().stream().anyMatch(t -> t.status.equals("PLACED")) && System.nanoTime() < deadline) {
            for (var entry : tracked.entrySet()) {
                Tracked order = entry.getValue();
                if (!order.status.equals("PLACED")) {
                    continue;
                }
                JsonNode current = json.readTree(get(orders + "/orders/" + entry.getKey()));
                String status = current.path("status").asString();
                if (!status.equals(order.status)) {
                    String reason = current.path("rejectionReason").isNull() ? ""
                            : "  (" + current.path("rejectionReason").asString() + ")";
                    Console.line(String.format("  +%5.2fs  #%d %s  %s -> %s%s",
                            (System.nanoTime() - started) / 1e9, order.number, shortId(entry.getKey()), order.status,
                            status.equals("REJECTED") ? Console.red(status) : Console.green(status), reason));
                    order.status = status;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long unsettled = tracked.values().stream().filter(t -> t.status.equals("PLACED")).count();
        if (unsettled > 0) {
            Console.line(Console.red("  " + unsettled + " order(s) still PLACED after " + SETTLE_TIMEOUT.toSeconds()
                    + " s; see the service logs"));
        }

        showPayments(tracked);

        Console.heading("Stock after the demo (GET /stock)");
        for (JsonNode product : json.readTree(get(inventory + "/stock"))) {
            Console.line(String.format("  %-7s %-20s available %4d   reserved %4d", product.path("productId").asString(),
                    product.path("name").asString(), product.path("available").asInt(),
                    product.path("reserved").asInt()));
        }
    }

    /** Each reserved order is charged by payment-service, then shipped; a rejected one never reaches them. */
    private void showPayments(Map<String, Tracked> tracked) throws IOException, InterruptedException {
        Console.heading("Payment and shipment (GET /payments/{id}, GET /shipments/{id})");
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (var entry : tracked.entrySet()) {
            Tracked order = entry.getValue();
            if (!order.status.equals("RESERVED")) {
                Console.line(String.format("  #%d %s  %s: no payment asked", order.number, shortId(entry.getKey()),
                        order.status));
                continue;
            }
            HttpResponse<String> payment = awaitFound(payments + "/payments/" + entry.getKey(), deadline);
            if (payment.statusCode() != 200) {
                Console.line(Console.red(String.format("  #%d %s  no payment after %d s; see the payment-service log",
                        order.number, shortId(entry.getKey()), SETTLE_TIMEOUT.toSeconds())));
                continue;
            }
            JsonNode decided = json.readTree(payment.body());
            String status = decided.path("status").asString();
            String shipment = "";
            if (status.equals("AUTHORIZED")) {
                HttpResponse<String> booked = awaitFound(shipping + "/shipments/" + entry.getKey(), deadline);
                JsonNode found = booked.statusCode() == 200 ? json.readTree(booked.body()) : null;
                shipment = found == null ? Console.red("not shipped yet")
                        : "-> " + Console.green("SHIPPED") + " " + found.path("carrier").asString() + " "
                        + found.path("trackingNumber").asString();
            }
            Console.line(String.format("  #%d %s  %s %8s %s  %s", order.number, shortId(entry.getKey()),
                    decided.path("currency").asString(), decided.path("amount").asString(),
                    status.equals("AUTHORIZED") ? Console.green("PAID") : Console.red(status),
                    status.equals("AUTHORIZED") ? shipment : decided.path("declineReason").asString()));
        }
    }

    private HttpResponse<String> awaitFound(String url, long deadline) throws IOException, InterruptedException {
        HttpResponse<String> response = getResponse(url);
        while (response.statusCode() == 404 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            response = getResponse(url);
        }
        return response;
    }

    private HttpResponse<String> getResponse(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String idempotencyKey, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url) throws IOException, InterruptedException {
        return getResponse(url).body();
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) + "…" : id;
    }

    private static final class Tracked {
        final int number;
        String status;

        Tracked(int number, String status) {
            this.number = number;
            this.status = status;
        }
    }

    private record Item(String productId, int quantity, String unitPrice) {
    }

    private record DemoOrder(String customer, String currency, List<Item> items) {
        String json() {
            return "{\"customerId\":\"" + customer + "\",\"currency\":\"" + currency + "\",\"items\":["
                    + items.stream().map(i -> "{\"productId\":\"" + i.productId() + "\",\"quantity\":" + i.quantity()
                    + ",\"unitPrice\":" + i.unitPrice() + "}").collect(Collectors.joining(",")) + "]}";
        }

        String describeItems() {
            return items.stream().map(i -> i.productId() + "x" + i.quantity()).collect(Collectors.joining(" "));
        }

        BigDecimal total() {
            return items.stream().map(i -> new BigDecimal(i.unitPrice()).multiply(BigDecimal.valueOf(i.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }
}
