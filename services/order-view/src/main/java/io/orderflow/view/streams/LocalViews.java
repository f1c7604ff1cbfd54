package io.orderflow.view.streams;

import io.orderflow.view.domain.CustomerOrders;
import io.orderflow.view.domain.OrderView;
import io.orderflow.view.query.ProductUnits;
import io.orderflow.view.query.RevenueMinute;
import io.orderflow.view.query.WindowQueries;
import io.orderflow.view.topology.OrderViewTopology;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Reads of this instance's active stores. A store that is moving (rebalance, restore) reads as unavailable. */
public final class LocalViews {

    private final ViewStreams streams;

    public LocalViews(ViewStreams streams) {
        this.streams = streams;
    }

    public Optional<OrderView> order(String orderId) {
        return read(() -> {
            ReadOnlyKeyValueStore<String, OrderView> store =
                    streams.store(OrderViewTopology.ORDER_VIEWS, QueryableStoreTypes.keyValueStore());
            return Optional.ofNullable(store.get(orderId));
        });
    }

    public Optional<CustomerOrders> customer(String customerId) {
        return read(() -> {
            ReadOnlyKeyValueStore<String, CustomerOrders> store =
                    streams.store(OrderViewTopology.CUSTOMER_ORDERS, QueryableStoreTypes.keyValueStore());
            return Optional.ofNullable(store.get(customerId));
        });
    }

    public List<RevenueMinute> revenue(Instant from, Instant to) {
        return read(() -> {
            ReadOnlyWindowStore<String, BigDecimal> store =
                    streams.store(OrderViewTopology.REVENUE, QueryableStoreTypes.windowStore());
            return WindowQueries.revenue(store, from, to);
        });
    }

    public List<ProductUnits> topProducts(Instant now, int limit) {
        return read(() -> {
            ReadOnlyWindowStore<String, Long> store =
                    streams.store(OrderViewTopology.PRODUCT_UNITS, QueryableStoreTypes.windowStore());
            return WindowQueries.topProducts(store, now, limit);
        });
    }

    private static <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new ViewUnavailableException("the store is moving between instances or restoring: " + e.getMessage());
        }
    }
}
