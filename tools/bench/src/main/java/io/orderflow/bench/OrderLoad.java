package io.orderflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Places orders over HTTP as clients would: {@code concurrency} clients, each waiting for its answer, either as fast
 * as the system settles them (with at most so many unsettled) or paced to a rate. A paced order's latency starts at
 * the moment it was due, not when a busy client got round to sending it, so that a slow service cannot hide its
 * queueing (no coordinated omission).
 */
public final class OrderLoad {

    /** One order the service accepted, and when its clock started. */
    public record Placed(String orderId, long startNanos, int units) {}

    private static final List<String> PRODUCTS = List.of("KB-001", "MS-002", "MN-003", "HB-004", "CH-005");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body of POST /orders. */
    private record OrderRequest(String customerId, String currency, List<Line> items) {}

    private record Line(String productId, int quantity) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI orders;
    private final String run;
    private final Supplier<String> storefrontToken;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /** @param storefrontToken the storefront's access token: it places orders for any customer */
    public OrderLoad(String ordersUrl, String run, Supplier<String> storefrontToken) {
        this.orders = URI.create(ordersUrl + "/orders");
        this.run = run;
        this.storefrontToken = storefrontToken;
    }

    /**
     * Places {@code count} orders numbered from {@code first}.
     *
     * @param ratePerSecond 0 for as fast as the clients get answers
     */
    public Map<String, Placed> place(
            int first,
            int count,
            int concurrency,
            double ratePerSecond,
            java.util.function.LongSupplier unsettled,
            long maxUnsettled)
            throws InterruptedException {
        Map<String, Placed> placed = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long begin = System.nanoTime();
        long interval = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        for (int c = 0; c < concurrency; c++) {
            clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    // A bounded backlog: "as fast as it goes" means as fast as orders settle, not an ever longer
                    // queue whose waiting time would only measure the queue (and expire payment deadlines).
                    while (unsettled.getAsLong() >= maxUnsettled) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    long due = begin + i * interval;
                    if (interval > 0) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    long start = interval > 0 ? due : System.nanoTime();
                    int number = first + i;
                    int units = 1 + number % 2;
                    String id = send(number, units);
                    if (id != null) {
                        placed.put(id, new Placed(id, start, units));
                        accepted.incrementAndGet();
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(1, TimeUnit.HOURS)) {
            throw new IllegalStateException("placing orders did not end within an hour");
        }
        return placed;
    }

    /** Orders accepted so far, over all runs of this load. */
    public int accepted() {
        return accepted.get();
    }

    /** Orders given up after their retries. */
    public int failed() {
        return failed.get();
    }

    /** Places one order, asking again with the same key after a failure; null when it never got through. */
    private String send(int number, int units) {
        String body = JSON.writeValueAsString(new OrderRequest(
                "bench-" + number % 997, "EUR", List.of(new Line(PRODUCTS.get(number % PRODUCTS.size()), units))));
        HttpRequest request = HttpRequest.newBuilder(orders)
                .header("Authorization", "Bearer " + storefrontToken.get())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-" + run + "-" + number)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201 || response.statusCode() == 200) {
                    return JSON.readTree(response.body()).path("id").asString();
                }
            } catch (IOException | JacksonException e) {
                // asked again below, with the same key
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L * attempt));
        }
        failed.incrementAndGet();
        return null;
    }
}
