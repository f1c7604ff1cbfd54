package io.orderflow.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderflow.devstack.Tokens;
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
            new DemoOrder("alice", "EUR", List.of(new Item("KB-001", 1), new Item("MS-002", 2))),
            new DemoOrder("bob", "USD", List.of(new Item("MN-003", 1))),
            new DemoOrder("carol", "EUR", List.of(new Item("LT-006", 1))),
            new DemoOrder("dave", "GBP", List.of(new Item("CH-005", 2), new Item("HB-004", 1))));
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String orders;
    private final String inventory;
    private final String payments;
    private final String shipping;
    private final String views;
    private final Tokens tokens;

    /** @param tokens the stack's: the storefront places and follows the orders, their customers cancel them */
    Demo(
            String ordersUrl,
            String inventoryUrl,
            String paymentsUrl,
            String shippingUrl,
            String viewsUrl,
            Tokens tokens) {
        this.tokens = tokens;
        this.orders = ordersUrl;
        this.inventory = inventoryUrl;
        this.payments = paymentsUrl;
        this.shipping = shippingUrl;
        this.views = viewsUrl;
    }

    void run(int count) throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Every token the demo uses, fetched (and kept) before the first order: a customer's login takes a few
        // round trips, and an order does not wait for them; a cancel "at once" must be at once.
        tokens.storefront();
        tokens.operator();
        tokens.customer(ORDERS.get(0).customerId());
        tokens.customer(ORDERS.get(1).customerId());
        Console.heading("The catalogue (GET /stock on inventory-service, which owns the prices)");
        for (JsonNode product : json.readTree(get(inventory + "/stock"))) {
            List<String> prices = new ArrayList<>();
            product.path("prices")
                    .properties()
                    .forEach(price -> prices.add(price.getKey() + " "
                            + price.getValue().decimalValue().setScale(2).toPlainString()));
            Console.line(String.format(
                    "  %-7s %-20s %s",
                    product.path("productId").asString(), product.path("name").asString(), String.join("   ", prices)));
        }

        Console.heading(
                "Placing " + count
                        + " demo orders over HTTP (POST /orders as the storefront, for its customers; priced by the catalogue)");
        Map<String, Tracked> tracked = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            DemoOrder order = ORDERS.get(i % ORDERS.size());
            HttpResponse<String> response = post("demo-" + run + "-" + (i + 1), order);
            JsonNode created = json.readTree(response.body());
            String id = created.path("id").asString();
            Console.line(String.format(
                    "  #%d %-6s %-26s %s %8s  -> %d, order %s  %s",
                    i + 1,
                    order.customerId(),
                    order.describeItems(),
                    order.currency(),
                    created.path("totalAmount").decimalValue().setScale(2).toPlainString(),
                    response.statusCode(),
                    shortId(id),
                    created.path("status").asString()));
            tracked.put(id, new Tracked(i + 1, created.path("status").asString()));
        }
        if (count > 0) {
            HttpResponse<String> again = post("demo-" + run + "-1", ORDERS.get(0));
            String id = json.readTree(again.body()).path("id").asString();
            Console.line(String.format(
                    "  #1 sent again with the same Idempotency-Key -> %d, order %s %s",
                    again.statusCode(),
                    shortId(id),
                    tracked.containsKey(id) ? "(the same order, not a second one)" : Console.red("(a NEW order!)")));
        }
        HttpResponse<String> unknown =
                post("demo-" + run + "-unknown", new DemoOrder("erin", "EUR", List.of(new Item("XX-999", 1))));
        Console.line(String.format(
                "  an order for XX-999 (not in the catalogue) -> %d, %s",
                unknown.statusCode(),
                json.readTree(unknown.body()).path("detail").asString()));
        HttpResponse<String> stale = post(
                "demo-" + run + "-stale",
                new DemoOrder("erin", "EUR", List.of(new Item("KB-001", 1, new BigDecimal("0.01")))));
        Console.line(String.format(
                "  an order quoting KB-001 at EUR 0.01 (a stale price) -> %d, %s",
                stale.statusCode(), json.readTree(stale.body()).path("detail").asString()));

        Console.heading("A customer changes their mind (POST /orders/{id}/cancel, with the customer's own token)");
        HttpResponse<String> extra = post("demo-" + run + "-cancelled", ORDERS.get(0));
        String cancelledId = json.readTree(extra.body()).path("id").asString();
        HttpResponse<String> cancel =
                postCancel(cancelledId, tokens.customer(ORDERS.get(0).customerId()));
        Console.line(String.format(
                "  #%d %-6s placed -> %d, then cancelled at once -> %d %s",
                count + 1,
                ORDERS.get(0).customerId(),
                extra.statusCode(),
                cancel.statusCode(),
                json.readTree(cancel.body()).path("status").asString()));
        tracked.put(cancelledId, new Tracked(count + 1, "PLACED"));

        if (count > 0) {
            showAccess(tracked.keySet().iterator().next());
        }

        Console.heading("Following the saga (GET /orders/{id})");
        long started = System.nanoTime();
        long deadline = started + SETTLE_TIMEOUT.toNanos();
        while (tracked.values().stream().anyMatch(t -> !isFinal(t.status)) && System.nanoTime() < deadline) {
            for (var entry : tracked.entrySet()) {
                Tracked order = entry.getValue();
                if (isFinal(order.status)) {
                    continue;
                }
                JsonNode current = json.readTree(get(orders + "/orders/" + entry.getKey()));
                String status = current.path("status").asString();
                if (!status.equals(order.status)) {
                    String reason = current.path("statusReason").isNull()
                            ? ""
                            : "  (" + current.path("statusReason").asString() + ")";
                    Console.line(String.format(
                            "  +%5.2fs  #%d %s  %s -> %s%s",
                            (System.nanoTime() - started) / 1e9,
                            order.number,
                            shortId(entry.getKey()),
                            order.status,
                            colour(status),
                            reason));
                    order.status = status;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long unsettled =
                tracked.values().stream().filter(t -> !isFinal(t.status)).count();
        if (unsettled > 0) {
            Console.line(Console.red("  " + unsettled + " order(s) not settled after " + SETTLE_TIMEOUT.toSeconds()
                    + " s; see the service logs"));
        }

        showOutcomes(tracked);
        String first = tracked.keySet().iterator().next();
        showHistory(first);
        HttpResponse<String> late =
                postCancel(first, tokens.customer(ORDERS.get(0).customerId()));
        Console.line(String.format(
                "  cancelling #1 now -> %d, %s",
                late.statusCode(),
                json.readTree(late.body())
                        .path("detail")
                        .asString(json.readTree(late.body()).path("status").asString())));

        showReadSide(first);

        Console.heading("Stock after the demo (GET /stock)");
        for (JsonNode product : json.readTree(get(inventory + "/stock"))) {
            Console.line(String.format(
                    "  %-7s %-20s available %4d   reserved %4d",
                    product.path("productId").asString(),
                    product.path("name").asString(),
                    product.path("available").asInt(),
                    product.path("reserved").asInt()));
        }
    }

    /** Who may see an order: its customer, the storefront and operators; no one without a token. */
    private void showAccess(String orderId) throws IOException, InterruptedException {
        String owner = ORDERS.get(0).customerId();
        String other = ORDERS.get(1).customerId();
        Console.heading("Who may see what (OAuth2 access tokens from the stack's authorization server)");
        HttpResponse<String> anonymous = getResponse(orders + "/orders/" + orderId, null);
        Console.line(String.format(
                "  GET /orders/#1 without a token -> %d, %s",
                anonymous.statusCode(),
                json.readTree(anonymous.body()).path("detail").asString()));
        HttpResponse<String> own = getResponse(orders + "/orders/" + orderId, tokens.customer(owner));
        Console.line(String.format("  GET /orders/#1 as %s, its customer -> %d", owner, own.statusCode()));
        HttpResponse<String> others = getResponse(orders + "/orders/" + orderId, tokens.customer(other));
        Console.line(String.format(
                "  GET /orders/#1 as %s -> %d (another customer's order: not even whether it exists)",
                other, others.statusCode()));
        HttpResponse<String> everyone = getResponse(orders + "/orders?limit=5", tokens.customer(owner));
        Console.line(String.format(
                "  GET /orders (every customer's) as %s -> %d, %s",
                owner,
                everyone.statusCode(),
                json.readTree(everyone.body()).path("detail").asString()));
    }

    /** How each order ended, as order-service, payment-service and shipping-service each record it. */
    private void showOutcomes(Map<String, Tracked> tracked) throws IOException, InterruptedException {
        Console.heading("Outcomes (GET /orders/{id}, /payments/{id}, /shipments/{id})");
        for (var entry : tracked.entrySet()) {
            String id = entry.getKey();
            JsonNode order = json.readTree(get(orders + "/orders/" + id));
            HttpResponse<String> payment = getResponse(payments + "/payments/" + id);
            HttpResponse<String> shipment = getResponse(shipping + "/shipments/" + id);
            String paid = payment.statusCode() == 200 ? describePayment(json.readTree(payment.body())) : "no payment";
            String shipped =
                    shipment.statusCode() == 200 ? describeShipment(json.readTree(shipment.body())) : "no shipment";
            Console.line(String.format(
                    "  #%d %s  %-20s %s %8s  %s; %s",
                    entry.getValue().number,
                    shortId(id),
                    colour(order.path("status").asString()),
                    order.path("currency").asString(),
                    order.path("totalAmount").decimalValue().setScale(2).toPlainString(),
                    paid,
                    shipped));
        }
    }

    private static String describePayment(JsonNode payment) {
        String status = payment.path("status").asString();
        JsonNode refund = payment.path("refund");
        // A voided payment has a lost-charge check too: only a refund of a real charge is worth telling.
        if (!refund.isMissingNode()
                && !refund.isNull()
                && List.of("PENDING", "REFUNDED", "FAILED")
                        .contains(refund.path("status").asString())) {
            return "charged, then refund " + refund.path("status").asString();
        }
        switch (status) {
            case "AUTHORIZED":
                return "charged " + payment.path("chargeId").asString().substring(0, 11) + "…";
            case "DECLINED":
                return "declined (" + payment.path("declineReason").asString() + ")";
            default:
                return status.toLowerCase(java.util.Locale.ROOT) + " (never charged)";
        }
    }

    private static String describeShipment(JsonNode shipment) {
        String booked = shipment.path("carrier").asString() + " "
                + shipment.path("trackingNumber").asString();
        return shipment.path("cancelledAt").isNull()
                        || shipment.path("cancelledAt").isMissingNode()
                ? "shipped " + booked
                : "shipment " + booked + " called off";
    }

    /** The event-sourced order: its history is the events it was built from. */
    private void showHistory(String orderId) throws IOException, InterruptedException {
        JsonNode order = json.readTree(get(orders + "/orders/" + orderId));
        Console.heading("The history of #1 (its events; the order is rebuilt from them)");
        java.time.Instant placed =
                java.time.Instant.parse(order.path("placedAt").asString());
        for (JsonNode event : order.path("history")) {
            long millis = Duration.between(
                            placed, java.time.Instant.parse(event.path("at").asString()))
                    .toMillis();
            Console.line(String.format(
                    "  v%d  +%5d ms  %s",
                    event.path("version").asInt(), millis, event.path("type").asString()));
        }
    }

    /** The same facts from the read side: built by Kafka Streams from every service's events. */
    private void showReadSide(String orderId) throws IOException, InterruptedException {
        Console.heading("The read side (order-view: Kafka Streams, exactly-once)");
        long version = json.readTree(get(orders + "/orders/" + orderId))
                .path("version")
                .asLong();
        HttpResponse<String> answer = getResponse(views + "/views/orders/" + orderId + "?minVersion=" + version);
        if (answer.statusCode() != 200) {
            Console.line(Console.red("  GET /views/orders/#1?minVersion=" + version + " -> " + answer.statusCode() + " "
                    + answer.body()));
            return;
        }
        JsonNode view = json.readTree(answer.body());
        Console.line(String.format(
                "  GET /views/orders/#1?minVersion=%d -> %s at version %d, from %d events:",
                version,
                colour(view.path("status").asString()),
                view.path("version").asLong(),
                view.path("timeline").size()));
        for (JsonNode entry : view.path("timeline")) {
            Console.line(String.format(
                    "    %-26s by %s",
                    entry.path("type").asString(), entry.path("service").asString()));
        }
        String customer = view.path("customerId").asString();
        JsonNode history =
                customerHistoryShowing(customer, orderId, view.path("status").asString());
        Console.line(String.format(
                "  GET /views/customers/%s/orders -> %d orders, lifetime value %s",
                customer, history.path("orderCount").asLong(), history.path("lifetimeValue")));
        Console.line("  GET /views/revenue (last hour) -> "
                + json.readTree(getResponse(views + "/views/revenue", tokens.operator())
                                .body())
                        .path("totals"));
        List<String> top = new ArrayList<>();
        json.readTree(getResponse(views + "/views/products/top?limit=3", tokens.operator())
                        .body())
                .path("products")
                .forEach(product -> top.add(product.path("productId").asString() + " x"
                        + product.path("units").asLong()));
        Console.line("  GET /views/products/top -> " + String.join(", ", top));
    }

    /**
     * The customer's history once it shows the order's status: it is one repartition (one commit) behind the order's
     * view, and only the order's view offers read-your-writes.
     */
    private JsonNode customerHistoryShowing(String customer, String orderId, String status)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            JsonNode history = json.readTree(get(views + "/views/customers/" + customer + "/orders"));
            boolean shown = history.path("recentOrders")
                    .valueStream()
                    .anyMatch(order -> order.path("orderId").asString().equals(orderId)
                            && order.path("status").asString().equals(status));
            if (shown || System.nanoTime() > deadline) {
                return history;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static boolean isFinal(String status) {
        return List.of("CONFIRMED", "REJECTED", "CANCELLED", "COMPENSATION_FAILED")
                .contains(status);
    }

    private static String colour(String status) {
        switch (status) {
            case "CONFIRMED":
            case "CANCELLED":
                return Console.green(status);
            case "REJECTED":
            case "COMPENSATION_FAILED":
                return Console.red(status);
            default:
                return status;
        }
    }

    private HttpResponse<String> postCancel(String orderId, String token) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(orders + "/orders/" + orderId + "/cancel"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET as the storefront. */
    private HttpResponse<String> getResponse(String url) throws IOException, InterruptedException {
        return getResponse(url, tokens.storefront());
    }

    /** A GET with this access token; none when null. */
    private HttpResponse<String> getResponse(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String idempotencyKey, DemoOrder order) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(orders + "/orders"))
                        .header("Authorization", "Bearer " + tokens.storefront())
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", idempotencyKey)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(order)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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

    /** A line of POST /orders; a unit price only where the demo quotes one (a stale one). */
    private record Item(
            String productId,
            int quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal unitPrice) {
        Item(String productId, int quantity) {
            this(productId, quantity, null);
        }
    }

    /** The body of POST /orders. */
    private record DemoOrder(String customerId, String currency, List<Item> items) {

        String describeItems() {
            return items.stream().map(i -> i.productId() + "x" + i.quantity()).collect(Collectors.joining(" "));
        }
    }
}
