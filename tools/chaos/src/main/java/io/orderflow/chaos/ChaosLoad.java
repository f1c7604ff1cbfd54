package io.orderflow.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The steady, mixed load of a chaos run, placed as the storefront places it: orders of one to three lines in three
 * currencies for a few hundred customers, some for a product that runs short, and a share cancelled by their customer
 * at every stage (at once, while stock is reserved, while payment runs, after it). Each order's content and its
 * cancel follow from the seed and its number alone, whatever the timing. A request that gets no answer (an instance
 * died under it) is sent again with the same Idempotency-Key, to the other instance, for as long as a client would.
 */
final class ChaosLoad {

    /** The product that runs short: little stock, so that some orders are rejected and released stock is reused. */
    static final String SCARCE_PRODUCT = "HB-004";

    static final int SCARCE_STOCK = 40;

    private static final List<String> PRODUCTS = List.of("KB-001", "MS-002", "MN-003", SCARCE_PRODUCT, "CH-005");
    private static final List<String> CURRENCIES = List.of("EUR", "GBP", "USD");
    private static final long[] CANCEL_AFTER_MS = {0, 150, 600, 1_500, 4_000};
    private static final double CANCEL_SHARE = 0.15;
    private static final int CUSTOMERS = 200;
    private static final long GIVE_UP_AFTER_MS = 120_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An order the system accepted, when its request was first sent, and when its customer cancelled it. */
    record Placed(String orderId, String customerId, long sentMs, long cancelSentMs) {}

    private record Line(String productId, int quantity) {}

    private record OrderRequest(String customerId, String currency, List<Line> items) {}

    private final List<URI> orderServices;
    private final Supplier<String> storefrontToken;
    private final long seed;
    private final LongSupplier clockMs;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> cancelAnswers = new ConcurrentHashMap<>();
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger givenUp = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();

    ChaosLoad(List<String> orderServiceUrls, Supplier<String> storefrontToken, long seed, LongSupplier clockMs) {
        this.orderServices = orderServiceUrls.stream().map(URI::create).toList();
        this.storefrontToken = storefrontToken;
        this.seed = seed;
        this.clockMs = clockMs;
    }

    /** Places orders at {@code rate} per second for {@code duration}; returns once every request is answered. */
    void run(double rate, Duration duration) throws InterruptedException {
        int count = Math.toIntExact(Math.round(rate * duration.toMillis() / 1000.0));
        long interval = (long) (1e9 / rate);
        long begin = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        ScheduledExecutorService cancels = Executors.newScheduledThreadPool(4);
        for (int number = 0; number < count; number++) {
            long wait = begin + number * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int order = number;
            clients.submit(() -> placeAndMaybeCancel(order, cancels));
        }
        clients.shutdown();
        if (!clients.awaitTermination(GIVE_UP_AFTER_MS * 2, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("placing orders did not end");
        }
        cancels.shutdown();
        if (!cancels.awaitTermination(GIVE_UP_AFTER_MS * 2, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("cancelling orders did not end");
        }
    }

    private void placeAndMaybeCancel(int number, ScheduledExecutorService cancels) {
        Random random = new Random(seed * 1_000_003L + number);
        String customer = "chaos-" + random.nextInt(CUSTOMERS);
        String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        List<Line> lines = new ArrayList<>();
        List<String> products = new ArrayList<>(PRODUCTS);
        java.util.Collections.shuffle(products, random);
        int lineCount = 1 + random.nextInt(3);
        for (int i = 0; i < lineCount; i++) {
            lines.add(new Line(products.get(i), 1 + random.nextInt(3)));
        }
        boolean cancel = random.nextDouble() < CANCEL_SHARE;
        long cancelAfter = CANCEL_AFTER_MS[random.nextInt(CANCEL_AFTER_MS.length)];
        long sentMs = clockMs.getAsLong();
        sent.incrementAndGet();
        String body = JSON.writeValueAsString(new OrderRequest(customer, currency, lines));
        String orderId = place(number, body);
        if (orderId == null) {
            return;
        }
        placed.put(orderId, new Placed(orderId, customer, sentMs, -1));
        if (cancel) {
            cancels.schedule(() -> cancelNow(orderId), cancelAfter, TimeUnit.MILLISECONDS);
        }
    }

    /** POST /orders until an instance answers it; null when the order was refused or never got through. */
    private String place(int number, String body) {
        long deadline = clockMs.getAsLong() + GIVE_UP_AFTER_MS;
        for (int attempt = 0; clockMs.getAsLong() < deadline; attempt++) {
            URI service = orderServices.get((number + attempt) % orderServices.size());
            HttpRequest request = HttpRequest.newBuilder(service.resolve("/orders"))
                    .header("Authorization", "Bearer " + storefrontToken.get())
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "chaos-" + seed + "-" + number)
                    .timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 201 || status == 200) {
                    return JSON.readTree(response.body()).path("id").asString();
                }
                if (status < 500 && status != 409 && status != 429 && status != 401) {
                    refusals.add("order " + number + ": " + status + " " + response.body());
                    return null;
                }
            } catch (IOException | JacksonException e) {
                // no answer: the instance died or the connection broke; asked again below, with the same key
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            retried.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(2_000, 100L << Math.min(attempt, 4))));
        }
        givenUp.incrementAndGet();
        return null;
    }

    /** POST /orders/{id}/cancel until an instance answers. */
    private Void cancelNow(String orderId) {
        placed.computeIfPresent(
                orderId, (id, order) -> new Placed(id, order.customerId(), order.sentMs(), clockMs.getAsLong()));
        long deadline = clockMs.getAsLong() + GIVE_UP_AFTER_MS;
        for (int attempt = 0; clockMs.getAsLong() < deadline; attempt++) {
            URI service = orderServices.get(attempt % orderServices.size());
            HttpRequest request = HttpRequest.newBuilder(service.resolve("/orders/" + orderId + "/cancel"))
                    .header("Authorization", "Bearer " + storefrontToken.get())
                    .timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500 && response.statusCode() != 401) {
                    cancelAnswers
                            .computeIfAbsent(response.statusCode(), status -> new AtomicInteger())
                            .incrementAndGet();
                    if (response.statusCode() >= 400 && response.statusCode() != 409) {
                        refusals.add("cancel " + orderId + ": " + response.statusCode() + " " + response.body());
                    }
                    return null;
                }
            } catch (IOException e) {
                // asked again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            retried.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(2_000, 100L << Math.min(attempt, 4))));
        }
        cancelAnswers.computeIfAbsent(-1, status -> new AtomicInteger()).incrementAndGet();
        return null;
    }

    Map<String, Placed> placed() {
        return Map.copyOf(placed);
    }

    int placedCount() {
        return placed.size();
    }

    int sent() {
        return sent.get();
    }

    int givenUp() {
        return givenUp.get();
    }

    int retried() {
        return retried.get();
    }

    /** Answers to the customers' cancels by HTTP status; -1 for a cancel that never got an answer. */
    Map<Integer, Integer> cancelAnswers() {
        Map<Integer, Integer> answers = new java.util.TreeMap<>();
        cancelAnswers.forEach((status, count) -> answers.put(status, count.get()));
        return answers;
    }

    /** Requests the system refused with a 4xx it should not have given to a well-formed request. */
    List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }
}
