package io.orderflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.inventory.RejectionReason;
import io.orderflow.contracts.inventory.ShortLine;
import io.orderflow.contracts.inventory.StockRejected;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsIT {

    private static final EventSerdes SERDES =
            new EventSerdes(new SchemaRegistryClient(TestStack.get().schemaRegistryUrl(), Duration.ofSeconds(5)), true);

    @Test
    void orderPlacedSurvivesTheRoundTripWithItsDecimalsAndTimestamp() {
        OrderPlaced placed = OrderPlaced.newBuilder()
                .setOrderId("o-1")
                .setCustomerId("c-1")
                .setCurrency("EUR")
                .setLines(List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99"))))
                .setTotalAmount(new BigDecimal("39.98"))
                .setPlacedAt(Instant.parse("2026-11-26T10:15:30.123Z"))
                .build();

        byte[] bytes = SERDES.of(Topics.ORDERS).toBytes(placed);

        assertThat(SERDES.of(Topics.ORDERS).fromBytes("OrderPlaced", bytes)).isEqualTo(placed);
    }

    @Test
    void eventTypesAreNamedByTheirContractNotTheirJavaPackage() {
        assertThat(Topics.INVENTORY.eventTypes().names())
                .containsExactly("StockReserved", "StockRejected", "ProductListed", "StockReleased");
    }

    @Test
    void refusesToWriteAnEventOnATopicThatDoesNotCarryIt() {
        StockRejected rejected = new StockRejected(
                "o-1", RejectionReason.INSUFFICIENT_STOCK, List.of(new ShortLine("SKU-1", 5, 1)), Instant.now());

        assertThatThrownBy(() -> SERDES.of(Topics.ORDERS).toBytes(rejected))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StockRejected");
    }

    @Test
    void garbageBytesArePoisonNotACrash() {
        assertThatThrownBy(() -> SERDES.of(Topics.ORDERS).fromBytes("OrderPlaced", new byte[] {1, 2, 3}))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("OrderPlaced");
    }

    @Test
    void anUnknownEventTypeIsPoison() {
        assertThatThrownBy(() -> SERDES.of(Topics.ORDERS).fromBytes("OrderShipped", new byte[0]))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("unknown event type 'OrderShipped'");
    }
}
