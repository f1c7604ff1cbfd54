package io.orderflow.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.apidocs.testing.AsyncApiCheck;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentDeclined;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.shipping.ShipmentCancelled;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerdes;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** shipping-service on the real broker and PostgreSQL: one shipment per paid order, none for a declined one. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + ShippingServiceApplication.CONFIG_NAME)
class ShippingServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final RawKafka records = new RawKafka(TestStack.get().bootstrapServers());

    @Autowired
    EventSerdes serdes;

    @Autowired
    List<EventConsumer> eventConsumers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().springBootProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void close() {
        records.close();
    }

    @Test
    void itsApiDocumentIsValidOpenApiAndDescribesEveryEndpointItServes() {
        ApiDocsCheck.Service.at(
                        "http://127.0.0.1:" + port, TestStack.get().tokens().operator())
                .assertDescribesItself("GET /shipments/{orderId}", "GET /ops/lag");
    }

    @Test
    void itsEventDocumentIsValidAsyncApiAndDescribesWhatItWritesAndReads() {
        AsyncApiCheck.Service document = AsyncApiCheck.Service.at("http://127.0.0.1:" + port);

        document.assertDescribes(
                new EventInterface(
                        "shipping-service",
                        List.of(Topics.SHIPMENTS),
                        eventConsumers.stream().map(Subscription::of).toList()),
                TestStack.get().bootstrapServers());
        assertThat(document.groups()).containsExactlyInAnyOrder("shipping-service");
    }

    @Test
    void aPaidOrderIsShippedOnceHoweverOftenThePaymentIsReported() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> authorized = payment(
                orderId,
                PaymentAuthorized.newBuilder()
                        .setOrderId(orderId.toString())
                        .setCustomerId("c-1")
                        .setAmount(new BigDecimal("10.00"))
                        .setCurrency("EUR")
                        .setChargeId("ch_1")
                        .setAuthorizedAt(Instant.now())
                        .build());
        records.sendAll(List.of(authorized, authorized));

        await().atMost(WAIT).until(() -> shipments(orderId).size() == 1);
        ConsumerRecord<String, byte[]> scheduled = shipments(orderId).get(0);
        assertThat(RawKafka.header(scheduled, EventHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());
        assertThat(RawKafka.header(scheduled, EventHeaders.CAUSATION_ID)).isEqualTo(header(authorized));
        ShipmentScheduled shipment =
                (ShipmentScheduled) serdes.of(Topics.SHIPMENTS).fromBytes("ShipmentScheduled", scheduled.value());
        assertThat(shipment.getCarrier()).isIn("DHL", "UPS", "DPD");

        records.send(payment(
                orderId,
                PaymentAuthorized.newBuilder()
                        .setOrderId(orderId.toString())
                        .setCustomerId("c-1")
                        .setAmount(new BigDecimal("10.00"))
                        .setCurrency("EUR")
                        .setChargeId("ch_1")
                        .setAuthorizedAt(Instant.now())
                        .build()));
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> shipments(orderId).size() == 1);

        HttpResponse<String> shown = get("/shipments/" + orderId);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains(shipment.getTrackingNumber(), shipment.getCarrier());
        assertThat(get("/shipments/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/shipments/nope").statusCode()).isEqualTo(400);
    }

    @Test
    void aDeclinedOrderIsNotShipped() {
        UUID declined = UUID.randomUUID();
        UUID paid = UUID.randomUUID();
        records.sendAll(List.of(
                payment(declined, new PaymentDeclined(declined.toString(), "insufficient_funds", Instant.now())),
                payment(
                        paid,
                        PaymentAuthorized.newBuilder()
                                .setOrderId(paid.toString())
                                .setCustomerId("c-2")
                                .setAmount(new BigDecimal("5.00"))
                                .setCurrency("USD")
                                .setChargeId("ch_2")
                                .setAuthorizedAt(Instant.now())
                                .build())));

        await().atMost(WAIT).until(() -> shipments(paid).size() == 1);
        assertThat(shipments(declined)).isEmpty();
        assertThat(get("/shipments/" + declined).statusCode()).isEqualTo(404);
    }

    @Test
    void aRefundedPaymentCallsItsShipmentOffOnce() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> refunded = payment(
                orderId,
                PaymentRefunded.newBuilder()
                        .setOrderId(orderId.toString())
                        .setChargeId("ch_3")
                        .setRefundId("re_3")
                        .setAmount(new BigDecimal("8.00"))
                        .setCurrency("EUR")
                        .setRefundedAt(Instant.now())
                        .build());
        records.sendAll(List.of(
                payment(
                        orderId,
                        PaymentAuthorized.newBuilder()
                                .setOrderId(orderId.toString())
                                .setCustomerId("c-3")
                                .setAmount(new BigDecimal("8.00"))
                                .setCurrency("EUR")
                                .setChargeId("ch_3")
                                .setAuthorizedAt(Instant.now())
                                .build()),
                refunded,
                refunded));

        await().atMost(WAIT).until(() -> shipments(orderId).size() == 2);
        ConsumerRecord<String, byte[]> cancelled = shipments(orderId).get(1);
        assertThat(RawKafka.header(cancelled, EventHeaders.EVENT_TYPE)).isEqualTo("ShipmentCancelled");
        assertThat(RawKafka.header(cancelled, EventHeaders.CAUSATION_ID)).isEqualTo(header(refunded));
        ShipmentCancelled event =
                (ShipmentCancelled) serdes.of(Topics.SHIPMENTS).fromBytes("ShipmentCancelled", cancelled.value());
        assertThat(event.getReason()).isEqualTo("payment refunded");
        assertThat(get("/shipments/" + orderId).body()).contains("\"cancelReason\":\"payment refunded\"");

        UUID marker = UUID.randomUUID();
        records.send(payment(
                marker,
                PaymentAuthorized.newBuilder()
                        .setOrderId(marker.toString())
                        .setCustomerId("c-3")
                        .setAmount(new BigDecimal("8.00"))
                        .setCurrency("EUR")
                        .setChargeId("ch_4")
                        .setAuthorizedAt(Instant.now())
                        .build()));
        await().atMost(WAIT).until(() -> shipments(marker).size() == 1);
        assertThat(shipments(orderId)).hasSize(2);
    }

    @Test
    void aRefundReadBeforeItsAuthorizationCallsTheShipmentOffSoTheLateAuthorizationBooksNothing() {
        UUID orderId = UUID.randomUUID();
        ProducerRecord<String, byte[]> refunded = payment(
                orderId,
                PaymentRefunded.newBuilder()
                        .setOrderId(orderId.toString())
                        .setChargeId("ch_5")
                        .setRefundId("re_5")
                        .setAmount(new BigDecimal("8.00"))
                        .setCurrency("EUR")
                        .setRefundedAt(Instant.now())
                        .build());
        ProducerRecord<String, byte[]> lateAuthorization = payment(
                orderId,
                PaymentAuthorized.newBuilder()
                        .setOrderId(orderId.toString())
                        .setCustomerId("c-5")
                        .setAmount(new BigDecimal("8.00"))
                        .setCurrency("EUR")
                        .setChargeId("ch_5")
                        .setAuthorizedAt(Instant.now())
                        .build());
        // The authorization was dead-lettered and is replayed after the refund.
        records.sendAll(List.of(refunded, lateAuthorization));

        await().atMost(WAIT).until(() -> shipments(orderId).size() == 1);
        UUID marker = UUID.randomUUID();
        records.send(payment(
                marker,
                PaymentAuthorized.newBuilder()
                        .setOrderId(marker.toString())
                        .setCustomerId("c-5")
                        .setAmount(new BigDecimal("8.00"))
                        .setCurrency("EUR")
                        .setChargeId("ch_6")
                        .setAuthorizedAt(Instant.now())
                        .build()));
        await().atMost(WAIT).until(() -> shipments(marker).size() == 1);
        List<ConsumerRecord<String, byte[]>> answers = shipments(orderId);
        assertThat(answers)
                .extracting(r -> RawKafka.header(r, EventHeaders.EVENT_TYPE))
                .containsExactly("ShipmentCancelled");
        assertThat(RawKafka.header(answers.get(0), EventHeaders.CAUSATION_ID)).isEqualTo(header(refunded));
        ShipmentCancelled event = (ShipmentCancelled) serdes.of(Topics.SHIPMENTS)
                .fromBytes("ShipmentCancelled", answers.get(0).value());
        assertThat(event.getTrackingNumber()).as("never booked").isEmpty();
        assertThat(get("/shipments/" + orderId).body()).contains("\"carrier\":null");
    }

    private ProducerRecord<String, byte[]> payment(UUID orderId, SpecificRecord event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.PAYMENTS.name(),
                orderId.toString(),
                serdes.of(Topics.PAYMENTS).toBytes(event));
        Envelope.first(event.getSchema().getName(), orderId.toString(), "test", Instant.now())
                .writeTo(record.headers());
        return record;
    }

    private List<ConsumerRecord<String, byte[]>> shipments(UUID orderId) {
        return records.readAll(Topics.SHIPMENTS.name(), RawKafka.keyed(orderId.toString()));
    }

    private HttpResponse<String> get(String path) {
        return new TestHttp("http://127.0.0.1:" + port)
                .as(TestStack.get().tokens()::operator)
                .get(path);
    }

    private static String header(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8);
    }
}
