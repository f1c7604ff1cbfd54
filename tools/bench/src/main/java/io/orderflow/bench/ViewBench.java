package io.orderflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.TopicSettings;
import io.orderflow.view.streams.OrderViewUpdates;
import io.orderflow.view.streams.ViewProperties;
import io.orderflow.view.streams.ViewReset;
import io.orderflow.view.streams.ViewStreams;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side under the saga bench: does it agree with the write side, how fresh is it, and what does
 * exactly-once cost against at-least-once for the same topology over the same history.
 */
public final class ViewBench {

    static final String APPLICATION_ID = "order-view";
    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final String viewUrl;
    private final BenchStack stack;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public ViewBench(String viewUrl, BenchStack stack) {
        this.viewUrl = viewUrl;
        this.stack = stack;
    }

    public ViewFreshness startFreshness() {
        return new ViewFreshness(stack.kafkaConfig(), APPLICATION_ID + "-order-views-changelog");
    }

    /** Waits for the view to have applied every event, then compares it with order-service's tables. */
    public boolean checkConsistency(Collection<OrderLoad.Placed> placed, Instant since) throws Exception {
        long caughtUp = awaitCaughtUp();
        BenchReport.line("view caught up", String.format(Locale.ROOT, "%,d events applied", caughtUp));
        Map<String, String> statuses = new HashMap<>();
        Map<String, long[]> customers = new HashMap<>();
        Map<String, BigDecimal> values = new HashMap<>();
        BigDecimal revenue = BigDecimal.ZERO;
        try (Connection db = stack.connect();
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT id, customer_id, status, total_amount FROM orders.orders")) {
            while (rows.next()) {
                String status = rows.getString("status");
                String customer = rows.getString("customer_id");
                statuses.put(rows.getString("id"), status);
                customers.computeIfAbsent(customer, c -> new long[1])[0]++;
                BigDecimal value = status.equals("CONFIRMED") ? rows.getBigDecimal("total_amount") : BigDecimal.ZERO;
                values.merge(customer, value, BigDecimal::add);
                revenue = revenue.add(value);
            }
        }
        AtomicInteger orderMismatches = new AtomicInteger();
        List<String> examples = new ArrayList<>();
        forEach(
                placed.stream().map(OrderLoad.Placed::orderId).toList(),
                orderId -> "/views/orders/" + orderId,
                (orderId, view) -> {
                    if (view == null || !view.path("status").asString().equals(statuses.get(orderId))) {
                        orderMismatches.incrementAndGet();
                        example(
                                examples,
                                orderId + ": view "
                                        + (view == null
                                                ? "none"
                                                : view.path("status").asString()) + ", order-service "
                                        + statuses.get(orderId));
                    }
                });
        boolean ok = BenchReport.check(
                "every order's status as order-service has it",
                orderMismatches.get() == 0,
                orderMismatches + " of " + placed.size() + " differ, e.g. " + examples);

        AtomicInteger customerMismatches = new AtomicInteger();
        forEach(customers.keySet(), customer -> "/views/customers/" + customer + "/orders", (customer, view) -> {
            boolean same = view != null
                    && view.path("orderCount").asLong() == customers.get(customer)[0]
                    && view.path("lifetimeValue").path("EUR").decimalValue().compareTo(values.get(customer)) == 0;
            if (!same) {
                customerMismatches.incrementAndGet();
                example(
                        examples,
                        customer + ": view "
                                + (view == null
                                        ? "none"
                                        : view.path("orderCount") + " orders, " + view.path("lifetimeValue"))
                                + "; order-service " + customers.get(customer)[0] + " orders, "
                                + values.get(customer) + " EUR");
            }
        });
        ok &= BenchReport.check(
                "every customer's order count and lifetime value",
                customerMismatches.get() == 0,
                customerMismatches + " of " + customers.size() + " differ, e.g. " + examples);

        Instant now = Instant.now();
        BigDecimal viewRevenue = get("/views/revenue?from=" + since.minusSeconds(60) + "&to=" + now.plusSeconds(60))
                .path("totals")
                .path("EUR")
                .decimalValue();
        ok &= BenchReport.check(
                "revenue = totals of confirmed orders",
                viewRevenue.compareTo(revenue) == 0,
                "view " + viewRevenue + ", order-service " + revenue);
        long units = 0;
        for (JsonNode product : get("/views/products/top?limit=100").path("products")) {
            units += product.path("units").asLong();
        }
        long placedUnits = placed.stream().mapToLong(OrderLoad.Placed::units).sum();
        ok &= BenchReport.check(
                "units ordered in the last hour = units placed",
                units == placedUnits,
                "view " + units + ", placed " + placedUnits);
        return ok;
    }

    /**
     * Replays the topics' whole history through the view's topology in this JVM, with fresh application ids and a
     * 100 ms commit interval, exactly-once against at-least-once. One replay of each warms the JVM up and does not
     * count; then they run exactly-once, at-least-once, at-least-once, exactly-once, so that a JVM still getting
     * faster (or a machine getting slower) favours neither, and each side's total events over its total time counts.
     */
    public void compareGuarantees() throws Exception {
        BenchReport.title("Read side: the same topology over the whole history, exactly-once vs at-least-once");
        replay("exactly_once_v2 (warm-up)", "exactly_once_v2");
        replay("at_least_once (warm-up)", "at_least_once");
        Replay exactlyOnce = replay("exactly_once_v2", "exactly_once_v2");
        Replay atLeastOnce = replay("at_least_once", "at_least_once");
        atLeastOnce = atLeastOnce.plus(replay("at_least_once", "at_least_once"));
        exactlyOnce = exactlyOnce.plus(replay("exactly_once_v2", "exactly_once_v2"));
        BenchReport.line(
                "exactly-once ÷ at-least-once",
                String.format(
                        Locale.ROOT,
                        "%,.0f ÷ %,.0f events/s = %.2f  (target ≥ 0.7)",
                        exactlyOnce.perSecond(),
                        atLeastOnce.perSecond(),
                        exactlyOnce.perSecond() / atLeastOnce.perSecond()));
    }

    private record Replay(long events, double seconds) {

        Replay plus(Replay other) {
            return new Replay(events + other.events, seconds + other.seconds);
        }

        double perSecond() {
            return events / seconds;
        }
    }

    private Replay replay(String label, String guarantee) throws Exception {
        String applicationId = "bench.order-view-" + guarantee.replace('_', '-') + "-" + System.nanoTime();
        Path stateDir = Files.createTempDirectory("order-view-bench-");
        try (ViewStreams streams = streams(applicationId, guarantee, stateDir);
                ViewReset progress = new ViewReset(kafka(), applicationId)) {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            awaitRunning(streams, deadline);
            long started = System.nanoTime();
            long records = awaitCaughtUp(progress, deadline);
            double seconds = (System.nanoTime() - started) / 1e9;
            BenchReport.line(
                    label,
                    String.format(
                            Locale.ROOT, "%,d events in %.1f s: %,.0f events/s", records, seconds, records / seconds));
            return new Replay(records, seconds);
        } finally {
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    /**
     * Freshness of the view: from each event's commit on its topic (the target's measure), from its arrival in Kafka
     * before that commit, and from its own database transaction.
     */
    public record Freshness(Histogram fromCommitted, Histogram fromPublished, Histogram fromOccurred) {

        public static Freshness of(ViewFreshness probe) {
            return new Freshness(probe.fromCommitted(), probe.fromPublished(), probe.fromOccurred());
        }

        /** Prints all three, and the one from the event's commit against the target. */
        public void print(String label) {
            BenchReport.line(label + ", from the event's commit", BenchReport.millis(fromCommitted));
            BenchReport.line(label + ", from its send to Kafka", BenchReport.millis(fromPublished));
            BenchReport.line(label + ", from the write", BenchReport.millis(fromOccurred));
            double p99 = fromCommitted.getValueAtPercentile(99) / 1000.0;
            BenchReport.line(
                    "  target: p99 ≤ commit interval + 200 ms",
                    String.format(Locale.ROOT, "%.0f ms ≤ 300 ms: %s", p99, p99 <= 300 ? "met" : "not met"));
        }
    }

    /**
     * Freshness of a view that has caught up with the history, while confirmed orders arrive at {@code rate} per
     * second for {@code seconds}.
     */
    Freshness freshnessAt(int rate, int seconds, SagaHistory history) throws Exception {
        String applicationId = "order-view-bench-live-" + System.nanoTime();
        Path stateDir = Files.createTempDirectory("order-view-bench-");
        try (ViewStreams streams = streams(applicationId, "exactly_once_v2", stateDir);
                ViewReset progress = new ViewReset(kafka(), applicationId)) {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            awaitRunning(streams, deadline);
            awaitCaughtUp(progress, deadline);
            try (ViewFreshness probe =
                            new ViewFreshness(stack.kafkaConfig(), applicationId + "-order-views-changelog");
                    KafkaProducer<String, byte[]> producer = stack.reliableProducer("views-bench-live")) {
                long started = System.nanoTime();
                long total = (long) rate * seconds;
                for (int i = 0; i < total; i++) {
                    long due = started + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    // Its five events span 80 ms that have just passed, as if each were published when it happened.
                    history.confirmedOrder(i, Instant.now().minusMillis(80)).forEach(producer::send);
                }
                producer.flush();
                awaitCaughtUp(progress, System.nanoTime() + CATCH_UP.toNanos());
                // The last commit reaches the probe a poll later.
                Thread.sleep(500);
                return Freshness.of(probe);
            }
        } finally {
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    private ViewStreams streams(String applicationId, String guarantee, Path stateDir) {
        ViewProperties properties = new ViewProperties(
                applicationId,
                stateDir.toString(),
                "127.0.0.1",
                guarantee,
                Duration.ofMillis(100),
                2,
                0,
                Duration.ofDays(7),
                Duration.ofDays(7).plusMinutes(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        EventSerdes serdes = new EventSerdes(stack.registryClient(), false);
        ViewStreams streams = new ViewStreams(
                properties,
                kafka(),
                kafka(),
                TopicSettings.defaults(),
                serdes,
                new OrderViewUpdates(),
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        streams.start(1, true);
        return streams;
    }

    private Map<String, Object> kafka() {
        return stack.kafkaConfig();
    }

    private static void awaitRunning(ViewStreams streams, long deadline) throws InterruptedException {
        while (streams.state().orElseThrow() != KafkaStreams.State.RUNNING) {
            requireBefore(deadline, "start");
            Thread.sleep(20);
        }
    }

    /** @return the records of the source topics, once the application has committed them and what they caused */
    private static long awaitCaughtUp(ViewReset progress, long deadline) throws InterruptedException {
        ViewReset.Progress now = progress.progress();
        while (now.behind() > 0 || now.end() == 0) {
            requireBefore(deadline, "catch-up");
            Thread.sleep(100);
            now = progress.progress();
        }
        return now.sourceRecords();
    }

    private static void requireBefore(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the view's " + what + " did not finish within " + CATCH_UP);
        }
    }

    /** Waits until the view service has applied every event on the topics. */
    public long awaitCaughtUp() throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            JsonNode status = get("/views/admin/status");
            if (status.path("state").asString().equals("RUNNING")
                    && status.path("behind").asLong() == 0) {
                return status.path("sourceRecords").asLong();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the view did not catch up within " + CATCH_UP + ": " + status);
            }
            Thread.sleep(200);
        }
    }

    private interface Check {
        void accept(String key, JsonNode view);
    }

    /** GETs one path per key, 16 at a time; a 404 reaches the check as null. */
    private void forEach(Collection<String> keys, java.util.function.Function<String, String> path, Check check)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String key : keys) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(viewUrl + path.apply(key)))
                    .header("Authorization", "Bearer " + stack.tokens().operator())
                    .timeout(Duration.ofSeconds(30))
                    .build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        JsonNode view = response.statusCode() == 200 ? json.readTree(response.body()) : null;
                        synchronized (check) {
                            check.accept(key, view);
                        }
                    })
                    .whenComplete((done, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /** What order-view itself reports, read from its actuator. */
    public ViewDiagnostics diagnostics() {
        return new ViewDiagnostics(path -> get(path, Duration.ofSeconds(10)));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return get(path, Duration.ofSeconds(30));
    }

    private JsonNode get(String path, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(viewUrl + path))
                        .header("Authorization", "Bearer " + stack.tokens().operator())
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private static void example(List<String> examples, String example) {
        synchronized (examples) {
            if (examples.size() < 3) {
                examples.add(example);
            }
        }
    }
}
