package io.orderflow.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to order-service and inventory-service over HTTP, as a client would. */
final class OrdersClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile String orders;
    private volatile String inventory;

    OrdersClient(String ordersUrl, String inventoryUrl) {
        this.orders = ordersUrl;
        this.inventory = inventoryUrl;
    }

    /** The HTTP status of a GET, for endpoints where only the status matters. */
    static int statusOf(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    void ordersAt(String url) {
        this.orders = url;
    }

    void inventoryAt(String url) {
        this.inventory = url;
    }

    /** Places an order; returns its id. Fails unless the answer is 201 or an idempotent replay. */
    String place(String idempotencyKey, String productId, int quantity) throws IOException, InterruptedException {
        HttpResponse<String> response = post(idempotencyKey, productId, quantity);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IOException("POST /orders answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("id").asString();
    }

    /** Places an order as part of the caller's W3C trace; returns its id. */
    String placeTraced(String idempotencyKey, String productId, int quantity, String traceparent)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(idempotencyKey, productId, quantity)
                .header("traceparent", traceparent).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST /orders answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("id").asString();
    }

    /** Places an order and returns the status code, whatever it is. */
    int statusOfPlacing(String idempotencyKey, String productId, int quantity)
            throws IOException, InterruptedException {
        return post(idempotencyKey, productId, quantity).statusCode();
    }

    /** Places an order for one product quoting the unit price the customer was shown. */
    HttpResponse<String> placeQuoting(String idempotencyKey, String productId, int quantity, String unitPrice)
            throws IOException, InterruptedException {
        String body = "{\"customerId\":\"c-e2e\",\"currency\":\"EUR\",\"items\":[{\"productId\":\"" + productId
                + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}]}";
        return http.send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sets a product's price list at inventory-service, e.g. {@code {"EUR": 41.00}}; returns the status code. */
    int reprice(String productId, String priceList) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(inventory + "/stock/" + productId + "/prices"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .PUT(HttpRequest.BodyPublishers.ofString(priceList)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpResponse<String> post(String idempotencyKey, String productId, int quantity)
            throws IOException, InterruptedException {
        return http.send(request(idempotencyKey, productId, quantity).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String idempotencyKey, String productId, int quantity) {
        String body = "{\"customerId\":\"c-e2e\",\"currency\":\"EUR\",\"items\":[{\"productId\":\"" + productId
                + "\",\"quantity\":" + quantity + "}]}";
        return HttpRequest.newBuilder(URI.create(orders + "/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Asks to cancel an order; returns the status code (202 started, 200 under way, 409 refused). */
    int cancel(String orderId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(orders + "/orders/" + orderId + "/cancel"))
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    String status(String orderId) throws IOException, InterruptedException {
        return order(orderId).path("status").asString();
    }

    JsonNode order(String orderId) throws IOException, InterruptedException {
        return json.readTree(get(orders + "/orders/" + orderId));
    }

    /** The read side's view of an order once it has caught up with the order's current version. */
    JsonNode view(String viewsUrl, String orderId) throws IOException, InterruptedException {
        long version = order(orderId).path("version").asLong();
        return json.readTree(get(viewsUrl + "/views/orders/" + orderId + "?minVersion=" + version));
    }

    /** Available units of a product. */
    int available(String productId) throws IOException, InterruptedException {
        for (JsonNode product : json.readTree(get(inventory + "/stock"))) {
            if (product.path("productId").asString().equals(productId)) {
                return product.path("available").asInt();
            }
        }
        throw new IllegalArgumentException("no product " + productId);
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
