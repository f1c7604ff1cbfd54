package io.orderflow.view.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.view.domain.CustomerOrders;
import io.orderflow.view.domain.OrderStatus;
import io.orderflow.view.domain.OrderSummary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private final JsonSerde<CustomerOrders> serde = new JsonSerde<>(CustomerOrders.class);
    private final OrderSummary order = new OrderSummary(
            "o-1", OrderStatus.CONFIRMED, "EUR", new BigDecimal("12.50"), Instant.parse("2026-11-27T10:15:30.123Z"));

    @Test
    void storesInstantsAsEpochMillisAndReadsThemBack() {
        CustomerOrders orders = new CustomerOrders(1, Map.of("EUR", new BigDecimal("12.50")), List.of(order));

        byte[] stored = serde.serializer().serialize("t", orders);

        assertThat(new String(stored, StandardCharsets.UTF_8)).contains("\"placedAt\":1795774530123");
        assertThat(serde.deserializer().deserialize("t", stored)).isEqualTo(orders);
    }

    @Test
    void readsViewsThatEarlierVersionsStoredWithIsoInstants() {
        String earlier = """
                {"orderCount":1,"lifetimeValue":{"EUR":12.50},"recentOrders":[{"orderId":"o-1","status":"CONFIRMED",\
                "currency":"EUR","totalAmount":12.50,"placedAt":"2026-11-27T10:15:30.123Z"}],"addedLater":true}""";

        CustomerOrders read = serde.deserializer().deserialize("t", earlier.getBytes(StandardCharsets.UTF_8));

        assertThat(read.recentOrders()).containsExactly(order);
    }
}
