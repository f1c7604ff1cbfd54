package io.orderflow.apidocs.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.serde.SchemaRegistryClient.RegisteredVersion;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class AsyncApiDocumentTest {

    /** Every subject has an older version 1 and the contract's schema as version 2. */
    static final Function<String, List<RegisteredVersion>> REGISTRY = subject -> {
        String fullName = subject.substring(subject.indexOf('-') + 1);
        Schema older = SchemaBuilder.record(fullName)
                .fields()
                .requiredString("orderId")
                .endRecord();
        Schema current = Topics.ALL.stream()
                .flatMap(topic -> topic.eventTypes().classes().stream())
                .map(EventTypes::schemaOf)
                .filter(schema -> schema.getFullName().equals(fullName))
                .findFirst()
                .orElseThrow();
        return List.of(new RegisteredVersion(1, 11, older), new RegisteredVersion(2, 12, current));
    };

    static final EventConsumer SAGA = EventConsumer.of("order-service-saga", Topics.INVENTORY, Topics.PAYMENTS)
            .on(StockReserved.class, event -> {})
            .on(StockRejected.class, event -> {})
            .on(PaymentAuthorized.class, event -> {})
            .build();

    static final EventInterface ORDERS = new EventInterface(
            "order-service",
            List.of(Topics.ORDERS),
            List.of(Subscription.of(SAGA), Subscription.ofEveryEvent("order-view", List.of(Topics.SHIPMENTS))));

    static final AsyncApiDocument.Servers SERVERS =
            new AsyncApiDocument.Servers("127.0.0.1:9092, 127.0.0.1:9093", false, "http://127.0.0.1:8081");

    static ObjectNode document(EventInterface events) {
        return AsyncApiDocument.describe(events, "1.2.3", SERVERS, REGISTRY);
    }

    @Test
    void theDocumentIsValidByTheAsyncApiParserAvroPayloadsIncluded() {
        assertThat(AsyncApiCheck.problems(document(ORDERS).toString())).isEmpty();
    }

    @Test
    void itDescribesEveryTopicWrittenAndEverySubscription() {
        ObjectNode document = document(ORDERS);

        assertThat(AsyncApiCheck.missing(document.toString(), ORDERS)).isEmpty();
        assertThat(document.path("channels").propertyNames())
                .containsExactlyInAnyOrder(
                        "orders.events",
                        "inventory.events",
                        "inventory.events.dlq",
                        "payments.events",
                        "payments.events.dlq",
                        "shipments.events",
                        "shipments.events.dlq");
        assertThat(document.path("operations").propertyNames())
                .containsExactlyInAnyOrder(
                        "send.orders.events",
                        "receive.inventory.events.order-service-saga",
                        "send.inventory.events.dlq.order-service-saga",
                        "receive.payments.events.order-service-saga",
                        "send.payments.events.dlq.order-service-saga",
                        "receive.shipments.events.order-view",
                        "send.shipments.events.dlq.order-view");
        JsonNode receive = document.path("operations").path("receive.payments.events.order-service-saga");
        assertThat(receive.path("messages").findValuesAsString("$ref"))
                .containsExactly("#/channels/payments.events/messages/PaymentAuthorized");
        assertThat(receive.path(AsyncApiDocument.PASSES_BY_EXTENSION))
                .extracting(JsonNode::asString)
                .containsExactly("PaymentDeclined", "PaymentVoided", "PaymentRefunded", "PaymentRefundFailed");
        assertThat(document.path("servers").path("kafka").path("host").asString())
                .isEqualTo("127.0.0.1:9092");
        assertThat(document.path("info").path("version").asString()).isEqualTo("1.2.3");
    }

    @Test
    void eachMessageListsTheRegisteredVersionsAndSaysWhichIsThisServices() {
        JsonNode placed = document(ORDERS)
                .path("channels")
                .path("orders.events")
                .path("messages")
                .path("OrderPlaced");
        JsonNode schema = placed.path(AsyncApiDocument.SCHEMA_EXTENSION);

        assertThat(schema.path("subject").asString()).isEqualTo("orders.events-" + OrderPlaced.class.getName());
        assertThat(schema.path("versions").findValues("version"))
                .extracting(JsonNode::asInt)
                .containsExactly(1, 2);
        assertThat(schema.path("versions").findValues("id"))
                .extracting(JsonNode::asInt)
                .containsExactly(11, 12);
        assertThat(schema.path("thisService").asInt()).isEqualTo(2);
        assertThat(placed.path("payload").path("schema").path("name").asString())
                .isEqualTo("OrderPlaced");
    }

    @Test
    void aSchemaTheRegistryDoesNotHoldIsStillThePayloadWithNoVersionOfItsOwn() {
        ObjectNode document = AsyncApiDocument.describe(ORDERS, "1", SERVERS, subject -> List.of());
        JsonNode schema = document.path("channels")
                .path("orders.events")
                .path("messages")
                .path("OrderPlaced")
                .path(AsyncApiDocument.SCHEMA_EXTENSION);

        assertThat(schema.path("versions")).isEmpty();
        assertThat(schema.has("thisService")).isFalse();
        assertThat(AsyncApiCheck.missing(document.toString(), ORDERS)).isEmpty();
    }

    @Test
    void aSubscriptionTopicOrEventLeftOutOfTheDocumentIsFound() {
        EventInterface withoutOrderView =
                new EventInterface("order-service", List.of(Topics.ORDERS), List.of(Subscription.of(SAGA)));
        ObjectNode withoutPlaced = document(ORDERS);
        ((ObjectNode) withoutPlaced.path("channels").path("orders.events").path("messages")).remove("OrderPlaced");

        assertThat(AsyncApiCheck.missing(document(withoutOrderView).toString(), ORDERS))
                .containsExactly(
                        "no channel for topic shipments.events",
                        "receive.shipments.events.order-view: its Kafka binding does not name group order-view",
                        "order-view dead-letters shipments.events to shipments.events.dlq: no such channel and"
                                + " operation");
        assertThat(AsyncApiCheck.missing(withoutPlaced.toString(), ORDERS))
                .containsExactly(
                        "orders.events has the messages [OrderCancellationRequested, OrderCancelled,"
                                + " OrderCompensationFailed, OrderConfirmed, OrderRejected], not"
                                + " [OrderCancellationRequested, OrderCancelled, OrderCompensationFailed,"
                                + " OrderConfirmed, OrderPlaced, OrderRejected]",
                        "orders.events has no message OrderPlaced");
    }

    @Test
    void anOperationOrChannelTheServiceNoLongerHasIsFound() {
        EventInterface withoutShipments =
                new EventInterface("order-service", List.of(Topics.ORDERS), List.of(Subscription.of(SAGA)));

        assertThat(AsyncApiCheck.missing(document(ORDERS).toString(), withoutShipments))
                .containsExactly(
                        "operations the service does not have: [receive.shipments.events.order-view,"
                                + " send.shipments.events.dlq.order-view]",
                        "channels the service does not use: [shipments.events, shipments.events.dlq]");
    }

    @Test
    void anEventClaimedThatTheGroupDoesNotHandleIsFound() {
        ObjectNode document = document(ORDERS);
        ObjectNode receive =
                (ObjectNode) document.path("operations").path("receive.payments.events.order-service-saga");
        ((ArrayNode) receive.path("messages"))
                .addObject()
                .put("$ref", "#/channels/payments.events/messages/PaymentDeclined");
        ((ArrayNode) receive.path(AsyncApiDocument.PASSES_BY_EXTENSION)).remove(0);

        assertThat(AsyncApiCheck.missing(document.toString(), ORDERS))
                .containsExactlyInAnyOrder(
                        "receive.payments.events.order-service-saga says it passes by [PaymentRefundFailed,"
                                + " PaymentRefunded, PaymentVoided], not [PaymentDeclined, PaymentRefundFailed,"
                                + " PaymentRefunded, PaymentVoided]",
                        "receive.payments.events.order-service-saga names what it does not receive:"
                                + " [#/channels/payments.events/messages/PaymentDeclined]");
    }

    @Test
    void aTopicThatJoinedAMergedSubscriptionKeepsItsFormerNameForItsDeadLetters() {
        EventConsumer merged = EventConsumer.of("order-service", Topics.INVENTORY, Topics.PAYMENTS)
                .formerly(Topics.PAYMENTS, "order-service-payments")
                .on(StockReserved.class, event -> {})
                .on(PaymentAuthorized.class, event -> {})
                .build();
        EventInterface events =
                new EventInterface("order-service", List.of(Topics.ORDERS), List.of(Subscription.of(merged)));
        ObjectNode document = document(events);
        JsonNode operations = document.path("operations");

        assertThat(AsyncApiCheck.missing(document.toString(), events)).isEmpty();
        assertThat(operations
                        .path("receive.payments.events.order-service")
                        .path(AsyncApiDocument.RECORDED_AS_EXTENSION)
                        .asString())
                .isEqualTo("order-service-payments");
        assertThat(operations
                        .path("send.payments.events.dlq.order-service")
                        .path(AsyncApiDocument.CONSUMER_EXTENSION)
                        .asString())
                .isEqualTo("order-service-payments");
        assertThat(operations
                        .path("send.inventory.events.dlq.order-service")
                        .path(AsyncApiDocument.CONSUMER_EXTENSION)
                        .asString())
                .isEqualTo("order-service");
        assertThat(operations
                        .path("receive.inventory.events.order-service")
                        .has(AsyncApiDocument.RECORDED_AS_EXTENSION))
                .isFalse();

        ObjectNode forgotten = document(events);
        ((ObjectNode) forgotten.path("operations").path("send.payments.events.dlq.order-service"))
                .put(AsyncApiDocument.CONSUMER_EXTENSION, "order-service");
        assertThat(AsyncApiCheck.missing(forgotten.toString(), events))
                .containsExactly("send.payments.events.dlq.order-service does not say its dead letters are addressed"
                        + " to order-service-payments");
    }

    @Test
    void aPayloadThatIsNotTheContractsSchemaIsFound() {
        ObjectNode document = document(ORDERS);
        ObjectNode payload = (ObjectNode) document.path("channels")
                .path("orders.events")
                .path("messages")
                .path("OrderPlaced")
                .path("payload");
        payload.set("schema", payload.path("schema").deepCopy());
        ((ObjectNode) payload.path("schema")).put("doc", "edited by hand");

        assertThat(AsyncApiCheck.missing(document.toString(), ORDERS))
                .containsExactly(
                        "orders.events's OrderPlaced does not carry the Avro schema of " + OrderPlaced.class.getName());
    }

    @Test
    void theParserFindsADocumentThatDriftedFromTheSpecification() {
        ObjectNode danglingReference = document(ORDERS);
        ((ObjectNode) danglingReference
                        .path("operations")
                        .path("send.orders.events")
                        .path("channel"))
                .put("$ref", "#/channels/orders.evnets");
        ObjectNode badAvro = document(ORDERS);
        ((ObjectNode) badAvro.path("channels")
                        .path("orders.events")
                        .path("messages")
                        .path("OrderPlaced")
                        .path("payload")
                        .path("schema"))
                .put("type", "recrod");

        assertThat(AsyncApiCheck.problems(danglingReference.toString()))
                .anySatisfy(problem -> assertThat(problem).contains("orders.evnets"));
        assertThat(AsyncApiCheck.problems(badAvro.toString()))
                .anySatisfy(problem -> assertThat(problem).startsWith("error").contains("OrderPlaced/payload"));
    }

    @Test
    void everyDeadLetterChannelSaysWhatItsHeadersAre() {
        JsonNode deadLetter = document(ORDERS)
                .path("channels")
                .path("payments.events.dlq")
                .path("messages")
                .path(AsyncApiDocument.DEAD_LETTER);

        assertThat(deadLetter.path("headers").path("$ref").asString())
                .isEqualTo("#/components/schemas/" + AsyncApiDocument.DEAD_LETTER_HEADERS);
        assertThat(deadLetter.path("payload").path("format").asString()).isEqualTo("binary");
    }
}
