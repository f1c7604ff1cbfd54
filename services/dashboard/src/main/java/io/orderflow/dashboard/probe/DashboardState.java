package io.orderflow.dashboard.probe;

import io.orderflow.dashboard.DashboardProperties;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Reads every service, the latest orders and the dead letters once per refresh, keeps the result as the current
 * {@link Snapshot} and hands it to whoever listens (the browsers' event streams). Services are read in parallel,
 * each call with a short timeout, so one that hangs delays nothing else.
 */
public final class DashboardState implements AutoCloseable {

    /** Refreshes of throughput kept for the sparklines: two minutes at the default refresh. */
    private static final int HISTORY = 60;

    private final DashboardProperties properties;
    private final ServiceProbe probe;
    private final DeadLetterSummaries deadLetters;
    private final Clock clock;
    private final ExecutorService readers = Executors.newFixedThreadPool(6, runnable -> {
        Thread thread = new Thread(runnable, "dashboard-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ServiceReading> previous = new HashMap<>();
    private final Map<String, Instant> statusSince = new HashMap<>();
    private final Map<String, Deque<Double>> handledHistory = new HashMap<>();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot current;

    public DashboardState(
            DashboardProperties properties, ServiceProbe probe, DeadLetterAdmin deadLetters, Clock clock) {
        this.properties = properties;
        this.probe = probe;
        this.deadLetters = new DeadLetterSummaries(deadLetters, clock);
        this.clock = clock;
    }

    public Optional<Snapshot> current() {
        return Optional.ofNullable(current);
    }

    public void onSnapshot(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Snapshot> listener) {
        listeners.remove(listener);
    }

    /** One refresh: read everything, keep it, tell the listeners. */
    public synchronized Snapshot refresh() {
        List<CompletableFuture<ServiceReading>> readings = properties.services().entrySet().stream()
                .map(service ->
                        CompletableFuture.supplyAsync(() -> probe.read(service.getKey(), service.getValue()), readers))
                .toList();
        CompletableFuture<List<Snapshot.OrderRow>> orders = CompletableFuture.supplyAsync(this::orders, readers);
        Snapshot.DeadLetters letters = deadLetters.latest();
        List<Snapshot.ServiceView> services = new ArrayList<>();
        Map<String, Long> sagas = Map.of();
        for (CompletableFuture<ServiceReading> future : readings) {
            ServiceReading reading = future.join();
            services.add(view(reading));
            if (DashboardProperties.ORDER_SERVICE.equals(reading.name()) && reading.reachable()) {
                sagas = reading.sagas();
            }
        }
        Snapshot snapshot = new Snapshot(clock.instant(), services, sagas, orders.join(), letters);
        current = snapshot;
        for (Consumer<Snapshot> listener : listeners) {
            listener.accept(snapshot);
        }
        return snapshot;
    }

    private Snapshot.ServiceView view(ServiceReading reading) {
        ServiceReading before = previous.put(reading.name(), reading);
        if (before == null || !before.status().equals(reading.status())) {
            statusSince.put(reading.name(), reading.readAt());
        }
        double seconds = before == null
                ? 0
                : Duration.between(before.readAt(), reading.readAt()).toMillis() / 1000.0;
        boolean comparable = before != null && before.reachable() && reading.reachable() && seconds > 0;
        double handled = comparable ? rate(before.handled(), reading.handled(), seconds) : 0;
        Deque<Double> history = handledHistory.computeIfAbsent(reading.name(), name -> new ArrayDeque<>());
        history.addLast(handled);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        return new Snapshot.ServiceView(
                reading.name(),
                reading.url(),
                reading.status(),
                reading.detail(),
                statusSince.get(reading.name()),
                handled,
                comparable ? rate(before.published(), reading.published(), seconds) : 0,
                reading.outboxBacklog(),
                reading.deadLettered(),
                reading.lag(),
                reading.breakers(),
                List.copyOf(history));
    }

    /** Per second; a counter that went down belongs to a restarted service and says nothing about the rate. */
    private static double rate(double before, double now, double seconds) {
        return now >= before ? (now - before) / seconds : 0;
    }

    private List<Snapshot.OrderRow> orders() {
        URI orderService = properties.service(DashboardProperties.ORDER_SERVICE);
        Optional<JsonNode> list = probe.json(orderService.resolve("/orders?limit=" + properties.recentOrders()));
        if (list.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Snapshot.OrderRow>> rows = new ArrayList<>();
        for (JsonNode order : list.get().path("orders")) {
            rows.add(CompletableFuture.supplyAsync(() -> row(order), readers));
        }
        return rows.stream().map(CompletableFuture::join).toList();
    }

    private Snapshot.OrderRow row(JsonNode order) {
        String id = order.path("id").asString();
        List<Snapshot.Step> timeline = new ArrayList<>();
        probe.json(properties.service(DashboardProperties.ORDER_VIEW).resolve("/views/orders/" + id))
                .ifPresent(view -> view.path("timeline")
                        .forEach(step -> timeline.add(new Snapshot.Step(
                                step.path("type").asString(),
                                step.path("service").asString(),
                                instant(step.path("at").asString())))));
        return new Snapshot.OrderRow(
                id,
                order.path("status").asString(),
                order.path("statusReason").asString(null),
                order.path("customerId").asString(),
                amount(order.path("totalAmount")),
                order.path("currency").asString(),
                instant(order.path("updatedAt").asString()),
                timeline);
    }

    private static String amount(JsonNode amount) {
        return amount.isNumber()
                ? amount.decimalValue().setScale(2, RoundingMode.HALF_UP).toPlainString()
                : amount.asString();
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isEmpty() ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
        deadLetters.close();
    }
}
