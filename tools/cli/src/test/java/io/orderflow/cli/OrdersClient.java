package io.orderflow.cli;

import static io.orderflow.devstack.TestHttp.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Talks to order-service and inventory-service over HTTP, as a client would. A service that does not answer is an
 * {@link IOException}, which the tests that restart services catch to ask again.
 */
final class OrdersClient {

    private volatile TestHttp orders;
    private volatile TestHttp inventory;

    /** The body of POST /orders, for customer c-e2e in euros. */
    private record PlaceOrder(String customerId, String currency, List<Line> items) {
        PlaceOrder(Line line) {
            this("c-e2e", "EUR", List.of(line));
        }
    }

    /** A line of an order; its unit price only when the customer quotes the one they were shown. */
    private record Line(
            String productId,
            int quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal unitPrice) {}

    private final Tokens tokens;

    /** @param tokens the stack's: orders are placed and followed as the storefront, prices set as an operator */
    OrdersClient(String ordersUrl, String inventoryUrl, Tokens tokens) {
        this.tokens = tokens;
        ordersAt(ordersUrl);
        inventoryAt(inventoryUrl);
    }

    /** The HTTP status of a GET as an operator, for endpoints where only the status matters. */
    int statusOf(String url) {
        return new TestHttp(url).as(tokens::operator).get("").statusCode();
    }

    void ordersAt(String url) {
        this.orders = new TestHttp(url).as(tokens::storefront);
    }

    void inventoryAt(String url) {
        this.inventory = new TestHttp(url).as(tokens::operator);
    }

    /** Places an order; returns its id. Fails unless the answer is 201 or an idempotent replay. */
    String place(String idempotencyKey, String productId, int quantity) throws IOException {
        return idOf(post(idempotencyKey, new Line(productId, quantity, null)), 201, 200);
    }

    /** Places an order as part of the caller's W3C trace; returns its id. */
    String placeTraced(String idempotencyKey, String productId, int quantity, String traceparent) throws IOException {
        return idOf(post(idempotencyKey, new Line(productId, quantity, null), "traceparent", traceparent), 201);
    }

    /** Places an order and returns the status code, whatever it is. */
    int statusOfPlacing(String idempotencyKey, String productId, int quantity) throws IOException {
        return post(idempotencyKey, new Line(productId, quantity, null)).statusCode();
    }

    /** Places an order for one product quoting the unit price the customer was shown. */
    HttpResponse<String> placeQuoting(String idempotencyKey, String productId, int quantity, String unitPrice)
            throws IOException {
        return post(idempotencyKey, new Line(productId, quantity, new BigDecimal(unitPrice)));
    }

    /** Sets a product's price list at inventory-service, e.g. {@code {"EUR": 41.00}}; returns the status code. */
    int reprice(String productId, String priceList) {
        return inventory.put("/stock/" + productId + "/prices", priceList).statusCode();
    }

    /** Asks to cancel an order; returns the status code (202 started, 200 under way, 409 refused). */
    int cancel(String orderId) throws IOException {
        return answered(() -> orders.post("/orders/" + orderId + "/cancel", null))
                .statusCode();
    }

    String status(String orderId) throws IOException {
        return order(orderId).path("status").asString();
    }

    JsonNode order(String orderId) throws IOException {
        return get(orders, "/orders/" + orderId);
    }

    /** The read side's view of an order once it has caught up with the order's current version. */
    JsonNode view(String viewsUrl, String orderId) throws IOException {
        long version = order(orderId).path("version").asLong();
        return get(
                new TestHttp(viewsUrl).as(tokens::storefront), "/views/orders/" + orderId + "?minVersion=" + version);
    }

    /** Available units of a product. */
    int available(String productId) throws IOException {
        for (JsonNode product : get(inventory, "/stock")) {
            if (product.path("productId").asString().equals(productId)) {
                return product.path("available").asInt();
            }
        }
        throw new IllegalArgumentException("no product " + productId);
    }

    private HttpResponse<String> post(String idempotencyKey, Line line, String... headers) throws IOException {
        String[] all = new String[headers.length + 2];
        all[0] = "Idempotency-Key";
        all[1] = idempotencyKey;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return answered(() -> orders.post("/orders", json(new PlaceOrder(line)), all));
    }

    private static String idOf(HttpResponse<String> response, int... accepted) throws IOException {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return json(response).path("id").asString();
            }
        }
        throw new IOException("POST /orders answered " + response.statusCode() + ": " + response.body());
    }

    private static JsonNode get(TestHttp service, String path) throws IOException {
        HttpResponse<String> response = answered(() -> service.get(path));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + service.baseUrl() + path + " answered " + response.statusCode());
        }
        return json(response);
    }

    private static HttpResponse<String> answered(Supplier<HttpResponse<String>> request) throws IOException {
        try {
            return request.get();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
