package io.orderflow.order;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.Price;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.devstack.Records;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plays the other services of the saga for order-service's tests: their events, and order-service's HTTP API. */
final class SagaFixture implements AutoCloseable {

    static final String VALID = """
            {"customerId":"c-1","currency":"EUR","items":[{"productId":"KB-001","quantity":2,"unitPrice":10.25}]}""";

    private final Records records = new Records(TestStack.get().bootstrapServers());
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final EventSerdes serdes;
    private final int port;

    SagaFixture(EventSerdes serdes, int port) {
        this.serdes = serdes;
        this.port = port;
    }

    UUID place() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(VALID)));
        if (response.statusCode() != 201) {
            throw new AssertionError("placing an order answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(json.readTree(response.body()).path("id").asString());
    }

    /** Another service's event about the order, caused by {@code cause} (or the first of its saga when null). */
    Envelope deliver(UUID orderId, Topic topic, SpecificRecord event, Envelope cause) {
        Envelope envelope = cause == null
                ? Envelope.first(EventTypes.nameOf(event), orderId.toString(), "test", Instant.now())
                : cause.next(EventTypes.nameOf(event), "test", Instant.now());
        redeliver(orderId, topic, event, envelope);
        return envelope;
    }

    /** Delivers the event again with exactly this envelope, as a redelivery does. */
    void redeliver(UUID orderId, Topic topic, SpecificRecord event, Envelope envelope) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), orderId.toString(),
                serdes.of(topic).toBytes(event));
        envelope.writeTo(record.headers());
        records.send(record);
    }

    /** inventory-service lists a product (again) with this price list, as of {@code listedAt}. */
    Envelope list(String productId, String name, Instant listedAt, Map<String, String> prices) {
        ProductListed listing = new ProductListed(productId, name, listedAt, prices.entrySet().stream()
                .map(price -> new Price(price.getKey(), new BigDecimal(price.getValue())))
                .toList());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INVENTORY.name(), productId,
                serdes.of(Topics.INVENTORY).toBytes(listing));
        Envelope envelope = Envelope.first("ProductListed", productId, "test", Instant.now());
        envelope.writeTo(record.headers());
        records.send(record);
        return envelope;
    }

    JsonNode order(UUID orderId) {
        HttpResponse<String> response = get("/orders/" + orderId);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /orders/" + orderId + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    String status(UUID orderId) {
        return order(orderId).path("status").asString();
    }

    HttpResponse<String> cancel(UUID orderId) {
        return send(HttpRequest.newBuilder(uri("/orders/" + orderId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** order-service's events about the order, in the order they were published. */
    List<ConsumerRecord<String, byte[]>> published(UUID orderId) {
        return records.readAll(Topics.ORDERS.name(), Records.keyed(orderId.toString()));
    }

    List<String> publishedTypes(UUID orderId) {
        return published(orderId).stream().map(r -> Records.header(r, EventHeaders.EVENT_TYPE)).toList();
    }

    SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        return serdes.of(Topics.ORDERS).fromBytes(Records.header(record, EventHeaders.EVENT_TYPE), record.value());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        records.close();
    }
}
