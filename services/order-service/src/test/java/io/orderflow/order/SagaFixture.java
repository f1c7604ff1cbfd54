package io.orderflow.order;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.Price;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;

/** Plays the other services of the saga for order-service's tests: their events, and order-service's HTTP API. */
final class SagaFixture implements AutoCloseable {

    static final String VALID = """
            {"customerId":"c-1","currency":"EUR","items":[{"productId":"KB-001","quantity":2,"unitPrice":10.25}]}""";

    private final RawKafka records = new RawKafka(TestStack.get().bootstrapServers());
    private final EventSerdes serdes;
    /** The storefront, which places and cancels orders for any customer. */
    private final TestHttp http;
    /** An operator, who may list every customer's orders. */
    private final TestHttp operator;

    SagaFixture(EventSerdes serdes, int port) {
        this.serdes = serdes;
        TestHttp service = new TestHttp("http://127.0.0.1:" + port);
        this.http = service.as(TestStack.get().tokens()::storefront);
        this.operator = service.as(TestStack.get().tokens()::operator);
    }

    UUID place() {
        HttpResponse<String> response = http.post("/orders", VALID);
        if (response.statusCode() != 201) {
            throw new AssertionError("placing an order answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(TestHttp.json(response).path("id").asString());
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
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                topic.name(), orderId.toString(), serdes.of(topic).toBytes(event));
        envelope.writeTo(record.headers());
        records.send(record);
    }

    /** inventory-service lists a product (again) with this price list, as of {@code listedAt}. */
    Envelope list(String productId, String name, Instant listedAt, Map<String, String> prices) {
        ProductListed listing = new ProductListed(
                productId,
                name,
                listedAt,
                prices.entrySet().stream()
                        .map(price -> new Price(price.getKey(), new BigDecimal(price.getValue())))
                        .toList());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.INVENTORY.name(), productId, serdes.of(Topics.INVENTORY).toBytes(listing));
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
        return TestHttp.json(response);
    }

    String status(UUID orderId) {
        return order(orderId).path("status").asString();
    }

    HttpResponse<String> cancel(UUID orderId) {
        return http.post("/orders/" + orderId + "/cancel", null);
    }

    HttpResponse<String> get(String path) {
        // Listings and metrics are for operators; an order for its customer, or the storefront.
        return path.startsWith("/orders/") ? http.get(path) : operator.get(path);
    }

    JsonNode json(HttpResponse<String> response) {
        return TestHttp.json(response);
    }

    /** order-service's events about the order, in the order they were published. */
    List<ConsumerRecord<String, byte[]>> published(UUID orderId) {
        return records.readAll(Topics.ORDERS.name(), RawKafka.keyed(orderId.toString()));
    }

    List<String> publishedTypes(UUID orderId) {
        return published(orderId).stream()
                .map(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                .toList();
    }

    SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        return serdes.of(Topics.ORDERS).fromBytes(RawKafka.header(record, EventHeaders.EVENT_TYPE), record.value());
    }

    @Override
    public void close() {
        records.close();
    }
}
