package io.orderflow.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated payment provider: {@code POST /v1/charges} authorizes or declines, {@code POST
 * /v1/charges/{id}/refunds} refunds, each deduplicated by its {@code Idempotency-Key}; {@code POST
 * /v1/charge-keys/{key}/cancel} cancels a charge key the way a client cancels a payment intent (the charge made
 * under it, or none, and then none ever). {@code PUT /control} switches
 * latency, declines, errors, garbage answers and a full outage; {@code GET /stats} and {@code GET
 * /v1/charges?reference=} let tests and benchmarks check that nobody was charged twice.
 */
public final class PaymentProviderServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8087;
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_AMOUNT_DIGITS = 12;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern REFUND_PATH = Pattern.compile("/v1/charges/([^/]+)/refunds");
    private static final Pattern CANCEL_KEY_PATH = Pattern.compile("/v1/charge-keys/([^/]+)/cancel");
    // As Jackson 2 did, which this provider's clients and tests were written against: a switch left out of PUT
    // /control is off, a misspelt one is refused.
    private static final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final HttpServer http;
    private final ExecutorService workers;
    private final Ledger ledger = new Ledger();
    private final AtomicReference<ProviderSwitches> behaviour = new AtomicReference<>(ProviderSwitches.healthy());
    private final AtomicInteger inFlight = new AtomicInteger();

    private PaymentProviderServer(HttpServer http, ExecutorService workers) {
        this.http = http;
        this.workers = workers;
    }

    /** Starts a provider on {@code port}, 0 for any free one. */
    public static PaymentProviderServer start(int port) {
        try {
            // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body
            // waits for the client's delayed ACK, about 40 ms per request. Read once per JVM, so set before any
            // server of this JVM starts.
            System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            // Latency is simulated by holding a worker, as a slow provider holds a connection: enough of them.
            ExecutorService workers = Executors.newFixedThreadPool(64, runnable -> {
                Thread thread = new Thread(runnable, "payment-provider");
                thread.setDaemon(true);
                return thread;
            });
            http.setExecutor(workers);
            PaymentProviderServer server = new PaymentProviderServer(http, workers);
            http.createContext("/", server::handle);
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void behave(ProviderSwitches next) {
        behaviour.set(next);
    }

    public Map<String, Object> stats() {
        Map<String, Object> stats = ledger.stats();
        stats.put("inFlight", inFlight.get());
        return stats;
    }

    /**
     * Charges, refunds and cancellations received and not answered yet (held by the simulated latency, say): a
     * client that gave up waiting for one does not stop it from moving money when it lands.
     */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** Every charge the provider made (authorized or declined), in the order it made them: its books. */
    public java.util.List<Ledger.Charge> charges() {
        return ledger.charges();
    }

    /** Every refund the provider made. */
    public java.util.List<Ledger.Refund> refunds() {
        return ledger.refunds();
    }

    /** The charges made for one reference: more than one means someone was charged twice. */
    public java.util.List<Ledger.Charge> chargesFor(String reference) {
        return ledger.chargesFor(reference);
    }

    /** The refunds of the charges made for this reference (an order id). */
    public java.util.List<Ledger.Refund> refundsFor(String reference) {
        return ledger.refundsFor(reference);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = route(exchange);
            } catch (BadRequest e) {
                response = new Response(e.status, Map.of("error", e.getMessage()));
            }
            byte[] body = response.raw != null ? response.raw : json.writeValueAsBytes(response.body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            response.headers.forEach(
                    (name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Response route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        // Raw: a key or charge id is decoded once, where it is taken out of the path, as the client encoded it.
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/control")) {
            if (method.equals("PUT")) {
                try {
                    behaviour.set(json.treeToValue(body(exchange), ProviderSwitches.class));
                } catch (JacksonException | IllegalArgumentException e) {
                    throw new BadRequest(400, "invalid behaviour: " + e.getMessage());
                }
            }
            return new Response(200, behaviour.get());
        }
        if (path.equals("/stats") && method.equals("GET")) {
            return new Response(200, stats());
        }
        if (path.equals("/v1/charges") && method.equals("GET")) {
            String reference = query(exchange, "reference").orElseThrow(() -> new BadRequest(400, "give ?reference="));
            return new Response(200, ledger.chargesFor(reference));
        }
        inFlight.incrementAndGet();
        try {
            return moveMoney(exchange, method, path);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Response moveMoney(HttpExchange exchange, String method, String path) throws IOException {
        ProviderSwitches now = behaviour.get();
        if (now.outage()) {
            return new Response(503, Map.of("error", "the provider is unavailable"));
        }
        if (ThreadLocalRandom.current().nextDouble() < now.errorRate()) {
            return new Response(500, Map.of("error", "internal error (simulated)"));
        }
        pause(now.latencyMillis());
        if (path.equals("/v1/charges") && method.equals("POST")) {
            return charge(exchange, now);
        }
        var refund = REFUND_PATH.matcher(path);
        if (refund.matches() && method.equals("POST")) {
            String key = idempotencyKey(exchange);
            String chargeId = URLDecoder.decode(refund.group(1), StandardCharsets.UTF_8);
            return answer(ledger.refund(key, "refund:" + chargeId, chargeId), "refund:" + chargeId);
        }
        var cancel = CANCEL_KEY_PATH.matcher(path);
        if (cancel.matches() && method.equals("POST")) {
            return cancelChargeKey(URLDecoder.decode(cancel.group(1), StandardCharsets.UTF_8));
        }
        return new Response(404, Map.of("error", "no route " + method + " " + path));
    }

    private Response charge(HttpExchange exchange, ProviderSwitches now) throws IOException {
        String key = idempotencyKey(exchange);
        JsonNode body = body(exchange);
        String reference = text(body, "reference");
        String currency = text(body, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new BadRequest(400, "currency must be three capital letters");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(text(body, "amount"));
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "amount must be a decimal number");
        }
        // Checked before the amount is ever written out: 1e999999999 is a short string but a billion digits.
        int decimals = now.threeDecimals() ? 3 : 2;
        if (amount.signum() <= 0
                || amount.scale() > decimals
                || amount.precision() - amount.scale() > MAX_AMOUNT_DIGITS) {
            throw new BadRequest(
                    400,
                    "amount must be positive with at most " + MAX_AMOUNT_DIGITS + " digits before the point and "
                            + decimals + " decimals");
        }
        String fingerprint = reference + "|" + amount.toPlainString() + "|" + currency;
        boolean isNew = !ledger.hasAnswered(key);
        Ledger.Answer answer = ledger.charge(
                key,
                fingerprint,
                reference,
                amount,
                currency,
                () -> now.declines(amount) || ThreadLocalRandom.current().nextDouble() < now.declineRate()
                        ? Optional.of("insufficient_funds")
                        : Optional.empty());
        Response response = answer(answer, fingerprint);
        if (isNew && answer.status() == 201 && ThreadLocalRandom.current().nextDouble() < now.garbageRate()) {
            // The money moved, the answer got lost: only the same key, sent again, tells the client what happened.
            return new Response(200, null, "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        return response;
    }

    private Response cancelChargeKey(String key) {
        try {
            return ledger.cancelChargeKey(key)
                    .map(charge -> new Response(200, Map.of("status", "charged", "charge", charge)))
                    .orElseGet(() -> new Response(200, Map.of("status", "canceled")));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(409, e.getMessage());
        }
    }

    private static Response answer(Ledger.Answer answer, String fingerprint) {
        if (!answer.requestFingerprint().equals(fingerprint)) {
            return new Response(422, Map.of("error", "Idempotency-Key reused for a different request"));
        }
        return new Response(answer.status(), answer.body());
    }

    private static String idempotencyKey(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || key.isBlank() || key.length() > 255) {
            throw new BadRequest(400, "an Idempotency-Key header (1 to 255 characters) is required");
        }
        return key;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest(413, "body over " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode body = json.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new BadRequest(400, "the body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw new BadRequest(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new BadRequest(400, "'" + field + "' must be a non-empty string");
        }
        return value.asString();
    }

    private static Optional<String> query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }

    private record Response(int status, Object body, byte[] raw, Map<String, String> headers) {
        Response(int status, Object body) {
            this(status, body, null, Map.of());
        }
    }

    private static final class BadRequest extends RuntimeException {
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Runs a provider until the process is stopped; {@code PAYMENT_PROVIDER_PORT} (8087). */
    public static void main(String[] args) throws InterruptedException {
        int port =
                Integer.parseInt(System.getenv().getOrDefault("PAYMENT_PROVIDER_PORT", String.valueOf(DEFAULT_PORT)));
        PaymentProviderServer server = start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "payment-provider-shutdown"));
        System.out.println("payment provider listening on " + server.url());
        stopped.await();
    }
}
