package io.orderflow.bench;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.inventory.ReservedLine;
import io.orderflow.contracts.inventory.StockReserved;
import io.orderflow.contracts.orders.OrderConfirmed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.contracts.payments.PaymentAuthorized;
import io.orderflow.contracts.shipping.ShipmentScheduled;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The five events of a confirmed order, as the services publish them, for feeding the read side without them. */
final class SagaHistory {

    private static final List<String> PRODUCTS = List.of("KB-001", "MS-002", "MN-003", "HB-004", "CH-005", "LT-006");

    private final EventSerdes serdes;

    SagaHistory(EventSerdes serdes) {
        this.serdes = serdes;
    }

    List<ProducerRecord<String, byte[]>> confirmedOrder(int number, Instant at) {
        String orderId = UUID.randomUUID().toString();
        String customer = "bench-" + number % 997;
        BigDecimal total = new BigDecimal("25.00");
        String product = PRODUCTS.get(number % PRODUCTS.size());
        Envelope placed =
                Envelope.first("OrderPlaced", orderId, "order-service", at).withAggregateVersion(1);
        Envelope reserved = placed.next("StockReserved", "inventory-service", at.plusMillis(20));
        Envelope authorized = reserved.next("PaymentAuthorized", "payment-service", at.plusMillis(40));
        Envelope scheduled = authorized.next("ShipmentScheduled", "shipping-service", at.plusMillis(60));
        Envelope confirmed = scheduled
                .next("OrderConfirmed", "order-service", at.plusMillis(80))
                .withAggregateVersion(5);
        return List.of(
                record(
                        Topics.ORDERS,
                        orderId,
                        placed,
                        OrderPlaced.newBuilder()
                                .setOrderId(orderId)
                                .setCustomerId(customer)
                                .setCurrency("EUR")
                                .setLines(List.of(new OrderLine(product, 2, new BigDecimal("12.50"))))
                                .setTotalAmount(total)
                                .setPlacedAt(at)
                                .build()),
                record(
                        Topics.INVENTORY,
                        orderId,
                        reserved,
                        StockReserved.newBuilder()
                                .setOrderId(orderId)
                                .setCustomerId(customer)
                                .setCurrency("EUR")
                                .setTotalAmount(total)
                                .setLines(List.of(new ReservedLine(product, 2)))
                                .setReservedAt(reserved.occurredAt())
                                .build()),
                record(
                        Topics.PAYMENTS,
                        orderId,
                        authorized,
                        PaymentAuthorized.newBuilder()
                                .setOrderId(orderId)
                                .setCustomerId(customer)
                                .setAmount(total)
                                .setCurrency("EUR")
                                .setChargeId("ch_" + orderId)
                                .setAuthorizedAt(authorized.occurredAt())
                                .build()),
                record(
                        Topics.SHIPMENTS,
                        orderId,
                        scheduled,
                        ShipmentScheduled.newBuilder()
                                .setOrderId(orderId)
                                .setCarrier("DHL")
                                .setTrackingNumber("JD" + number)
                                .setScheduledAt(scheduled.occurredAt())
                                .build()),
                record(
                        Topics.ORDERS,
                        orderId,
                        confirmed,
                        new OrderConfirmed(orderId, "ch_" + orderId, "JD" + number, confirmed.occurredAt())));
    }

    private ProducerRecord<String, byte[]> record(
            Topic topic, String orderId, Envelope envelope, SpecificRecord event) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic.name(), orderId, serdes.of(topic).toBytes(event));
        envelope.writeTo(record.headers());
        return record;
    }
}
