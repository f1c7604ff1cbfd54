package io.orderflow.view.topology;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.orders.OrderRejected;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.payments.PaymentRefunded;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;

/** Records of the saga's events as the services publish them: Avro in the registry's format, envelope in headers. */
public final class SagaEvents {

    /** A record and the topic it goes to. */
    public record Published(Topic topic, TestRecord<String, byte[]> record) {

        public ProducerRecord<String, byte[]> toProducerRecord() {
            return new ProducerRecord<>(
                    topic.name(), null, record.timestamp(), record.key(), record.value(), record.headers());
        }
    }

    private final EventSerdes serdes;

    public SagaEvents(EventSerdes serdes) {
        this.serdes = serdes;
    }

    public Published placed(String orderId, String customerId, String total, Instant at, OrderLine... lines) {
        return publish(
                Topics.ORDERS,
                orderId,
                "order-service",
                1,
                at,
                OrderPlaced.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId(customerId)
                        .setCurrency("EUR")
                        .setLines(List.of(lines))
                        .setTotalAmount(new BigDecimal(total))
                        .setPlacedAt(at)
                        .build());
    }

    public Published reserved(String orderId, Instant at) {
        return publish(
                Topics.INVENTORY,
                orderId,
                "inventory-service",
                0,
                at,
                StockReserved.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId("c")
                        .setCurrency("EUR")
                        .setTotalAmount(BigDecimal.ONE)
                        .setLines(List.of(new ReservedLine("KB-001", 1)))
                        .setReservedAt(at)
                        .build());
    }

    public Published authorized(String orderId, String amount, Instant at) {
        return publish(
                Topics.PAYMENTS,
                orderId,
                "payment-service",
                0,
                at,
                PaymentAuthorized.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId("c")
                        .setAmount(new BigDecimal(amount))
                        .setCurrency("EUR")
                        .setChargeId("ch_" + orderId)
                        .setAuthorizedAt(at)
                        .build());
    }

    public Published refunded(String orderId, String amount, Instant at) {
        return publish(
                Topics.PAYMENTS,
                orderId,
                "payment-service",
                0,
                at,
                PaymentRefunded.newBuilder()
                        .setOrderId(orderId)
                        .setChargeId("ch_" + orderId)
                        .setRefundId("re_" + orderId)
                        .setAmount(new BigDecimal(amount))
                        .setCurrency("EUR")
                        .setRefundedAt(at)
                        .build());
    }

    public Published scheduled(String orderId, Instant at) {
        return publish(
                Topics.SHIPMENTS,
                orderId,
                "shipping-service",
                0,
                at,
                ShipmentScheduled.newBuilder()
                        .setOrderId(orderId)
                        .setCarrier("DHL")
                        .setTrackingNumber("JD" + orderId)
                        .setScheduledAt(at)
                        .build());
    }

    public Published confirmed(String orderId, int version, Instant at) {
        return publish(
                Topics.ORDERS,
                orderId,
                "order-service",
                version,
                at,
                new OrderConfirmed(orderId, "ch_" + orderId, "JD" + orderId, at));
    }

    public Published rejected(String orderId, int version, Instant at) {
        return publish(
                Topics.ORDERS,
                orderId,
                "order-service",
                version,
                at,
                new OrderRejected(orderId, "INSUFFICIENT_STOCK", at));
    }

    public static OrderLine line(String productId, int quantity, String unitPrice) {
        return new OrderLine(productId, quantity, new BigDecimal(unitPrice));
    }

    public Published publish(
            Topic topic, String orderId, String service, int version, Instant at, SpecificRecord event) {
        Envelope envelope = Envelope.first(event.getSchema().getName(), orderId, service, at);
        if (version > 0) {
            envelope = envelope.withAggregateVersion(version);
        }
        Headers headers = new RecordHeaders();
        envelope.writeTo(headers);
        // The relay publishes a little after the fact: the record's own timestamp is not the event's time.
        return new Published(
                topic, new TestRecord<>(orderId, serdes.of(topic).toBytes(event), headers, at.plusMillis(250)));
    }
}
