package io.orderflow.view.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.view.domain.OrderView;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class OrderViewUpdatesTest {

    private final OrderViewUpdates updates = new OrderViewUpdates();
    private final Map<String, OrderView> store = new ConcurrentHashMap<>();

    @Test
    void aViewThatHasReachedTheVersionIsAnsweredAtOnce() {
        store.put("o-1", view("o-1", 3));

        assertThat(updates.await("o-1", 2, Duration.ofMinutes(1), this::read))
                .isCompletedWithValue(Optional.of(view("o-1", 3)));
        assertThat(updates.waiting()).isZero();
    }

    @Test
    void aReaderWaitsUntilTheTopologyStoresTheVersionItAskedFor() {
        store.put("o-2", view("o-2", 1));
        CompletableFuture<Optional<OrderView>> answer = updates.await("o-2", 2, Duration.ofMinutes(1), this::read);
        assertThat(answer).isNotDone();
        assertThat(updates.waiting()).isEqualTo(1);

        updates.changed(view("o-2", 1));
        updates.changed(view("other", 9));
        assertThat(answer).isNotDone();
        updates.changed(view("o-2", 2));

        assertThat(answer.join()).contains(view("o-2", 2));
        assertThat(updates.waiting()).isZero();
    }

    @Test
    void afterTheLimitTheReaderGetsTheViewAsItIs() {
        store.put("o-3", view("o-3", 1));

        assertThat(updates.await("o-3", 5, Duration.ofMillis(50), this::read).join())
                .contains(view("o-3", 1));
        assertThat(updates.await("unknown", 1, Duration.ofMillis(50), this::read)
                        .join())
                .isEmpty();
        assertThat(updates.waiting()).isZero();
    }

    @Test
    void aStoreThatCannotBeReadFailsTheWaitAndLeavesNoWaiterBehind() {
        int[] reads = {0};
        CompletableFuture<Optional<OrderView>> answer = updates.await("o-4", 1, Duration.ofMinutes(1), id -> {
            if (reads[0]++ > 0) {
                throw new ViewUnavailableException("moving");
            }
            return Optional.empty();
        });

        assertThatThrownBy(answer::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ViewUnavailableException.class);
        assertThat(updates.waiting()).isZero();
    }

    private Optional<OrderView> read(String orderId) {
        return Optional.ofNullable(store.get(orderId));
    }

    private static OrderView view(String orderId, long version) {
        OrderView empty = OrderView.empty(orderId);
        return new OrderView(
                orderId,
                version,
                null,
                null,
                empty.items(),
                null,
                empty.status(),
                null,
                null,
                null,
                null,
                null,
                null,
                empty.timeline());
    }
}
