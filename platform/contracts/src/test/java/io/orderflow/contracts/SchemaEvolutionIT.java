package io.orderflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.common.Price;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OrderPlaced v1 (released, without {@code currency}) and v2 (today's, {@code currency} defaulting to "USD") side by
 * side through the real broker and registry: a v1 producer with a v2 consumer, and a v2 producer with a v1
 * consumer, each a serde of its own over the generated classes of its version.
 */
class SchemaEvolutionIT {

    private static final Path RELEASED_V1 = Path.of("src/released/io.orderflow.contracts.orders.OrderPlaced/v1.avsc");

    @TempDir
    Path work;

    @Test
    void oldAndNewProducersAndConsumersOfOrderPlacedUnderstandEachOther() throws Exception {
        String topic = "test.evolution-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        ReleasedContract v1 = ReleasedContract.compile(RELEASED_V1, work);
        Class<? extends SpecificRecord> v1Type = v1.type(OrderPlaced.class.getName());
        assertThat(v1Type).isNotEqualTo(OrderPlaced.class);
        assertThat(v1Type.getDeclaredFields()).extracting(f -> f.getName()).doesNotContain("currency");

        // Separate clients: separate services with separate caches.
        EventSerde v1Serde = new EventSerde(topic, EventTypes.of(v1Type), client(), true);
        EventSerde v2Serde = new EventSerde(topic, EventTypes.of(OrderPlaced.class), client(), true);

        Instant placedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SpecificRecord fromV1 = v1Order(v1Type, "order-v1", placedAt);
        OrderPlaced fromV2 = OrderPlaced.newBuilder()
                .setOrderId("order-v2")
                .setCustomerId("c-2")
                .setCurrency("EUR")
                .setLines(List.of(new OrderLine("KB-001", 2, new BigDecimal("49.90"))))
                .setTotalAmount(new BigDecimal("99.80"))
                .setPlacedAt(placedAt)
                .build();

        try (RawKafka records = new RawKafka(TestStack.get().bootstrapServers())) {
            records.sendAll(List.of(
                    record(topic, "order-v1", v1Serde.toBytes(fromV1)),
                    record(topic, "order-v2", v2Serde.toBytes(fromV2))));
            List<ConsumerRecord<String, byte[]>> onTheTopic = records.readAll(topic, r -> true);
            assertThat(onTheTopic).hasSize(2);
            byte[] v1Bytes = onTheTopic.get(0).value();
            byte[] v2Bytes = onTheTopic.get(1).value();
            assertThat(schemaId(v1Bytes)).as("each version has its own id").isNotEqualTo(schemaId(v2Bytes));

            OrderPlaced oldReadByNew = (OrderPlaced) v2Serde.fromBytes("OrderPlaced", v1Bytes);
            assertThat(oldReadByNew.getOrderId()).isEqualTo("order-v1");
            assertThat(oldReadByNew.getCurrency())
                    .as("the v2 default fills the field v1 did not have")
                    .isEqualTo("USD");
            assertThat(oldReadByNew.getLines()).hasSize(1);
            assertThat(oldReadByNew.getTotalAmount()).isEqualByComparingTo("30.00");
            assertThat(oldReadByNew.getPlacedAt()).isEqualTo(placedAt);
            assertThat(v2Serde.fromBytes("OrderPlaced", v2Bytes)).isEqualTo(fromV2);

            SpecificRecord newReadByOld = v1Serde.fromBytes("OrderPlaced", v2Bytes);
            assertThat(newReadByOld.getClass()).isEqualTo(v1Type);
            assertThat(field(newReadByOld, "orderId")).isEqualTo("order-v2");
            assertThat(field(newReadByOld, "customerId")).isEqualTo("c-2");
            assertThat(field(newReadByOld, "totalAmount")).isEqualTo(new BigDecimal("99.80"));
            assertThat(newReadByOld.getSchema().getField("currency"))
                    .as("v1 never sees the new field")
                    .isNull();
            assertThat(v1Serde.fromBytes("OrderPlaced", v1Bytes)).isEqualTo(fromV1);
        }
        String subject = v2Serde.subjectOf(OrderPlaced.class);
        assertThat(subject).isEqualTo(topic + "-io.orderflow.contracts.orders.OrderPlaced");
        assertThat(client().versions(subject))
                .as("v1 then v2 under one subject")
                .hasSize(2);
    }

    @Test
    void aListingWrittenBeforePricesReadsAsSoldNowhereAndAPricedOneReadsInAnOldService() throws Exception {
        String topic = "test.evolution-" + UUID.randomUUID();
        ReleasedContract v1 = ReleasedContract.compile(
                Path.of("src/released/io.orderflow.contracts.inventory.ProductListed/v1.avsc"), work);
        Class<? extends SpecificRecord> v1Type = v1.type(ProductListed.class.getName());
        EventSerde v1Serde = new EventSerde(topic, EventTypes.of(v1Type), client(), true);
        EventSerde v2Serde = new EventSerde(topic, EventTypes.of(ProductListed.class), client(), true);
        Instant listedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SpecificRecord oldListing = v1Type.getDeclaredConstructor().newInstance();
        oldListing.put(oldListing.getSchema().getField("productId").pos(), "KB-001");
        oldListing.put(oldListing.getSchema().getField("name").pos(), "Keyboard");
        oldListing.put(oldListing.getSchema().getField("listedAt").pos(), listedAt);
        ProductListed newListing =
                new ProductListed("KB-001", "Keyboard", listedAt, List.of(new Price("EUR", new BigDecimal("89.90"))));

        ProductListed oldReadByNew = (ProductListed) v2Serde.fromBytes("ProductListed", v1Serde.toBytes(oldListing));
        SpecificRecord newReadByOld = v1Serde.fromBytes("ProductListed", v2Serde.toBytes(newListing));

        assertThat(oldReadByNew.getPrices()).as("a v1 listing names no price").isEmpty();
        assertThat(oldReadByNew.getListedAt()).isEqualTo(listedAt);
        assertThat(field(newReadByOld, "productId")).isEqualTo("KB-001");
        assertThat(newReadByOld.getSchema().getField("prices")).isNull();
    }

    private static SchemaRegistryClient client() {
        return new SchemaRegistryClient(TestStack.get().schemaRegistryUrl(), Duration.ofSeconds(5));
    }

    private static SpecificRecord v1Order(Class<? extends SpecificRecord> type, String orderId, Instant placedAt)
            throws Exception {
        SpecificRecord order = type.getDeclaredConstructor().newInstance();
        var lineSchema = order.getSchema().getField("lines").schema().getElementType();
        Class<?> lineType = type.getClassLoader().loadClass(lineSchema.getFullName());
        SpecificRecord line = (SpecificRecord) lineType.getDeclaredConstructor().newInstance();
        line.put(line.getSchema().getField("productId").pos(), "MS-002");
        line.put(line.getSchema().getField("quantity").pos(), 1);
        line.put(line.getSchema().getField("unitPrice").pos(), new BigDecimal("30.00"));
        order.put(order.getSchema().getField("orderId").pos(), orderId);
        order.put(order.getSchema().getField("customerId").pos(), "c-1");
        order.put(order.getSchema().getField("lines").pos(), List.of(line));
        order.put(order.getSchema().getField("totalAmount").pos(), new BigDecimal("30.00"));
        order.put(order.getSchema().getField("placedAt").pos(), placedAt);
        return order;
    }

    private static Object field(SpecificRecord record, String name) {
        return record.get(record.getSchema().getField(name).pos());
    }

    private static int schemaId(byte[] payload) {
        assertThat(payload[0]).as("magic byte").isZero();
        return java.nio.ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        Envelope.first("OrderPlaced", key, "evolution-test", Instant.now()).writeTo(record.headers());
        assertThat(new String(
                        record.headers().lastHeader(EventHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo("OrderPlaced");
        return record;
    }
}
