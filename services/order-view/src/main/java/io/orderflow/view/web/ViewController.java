package io.orderflow.view.web;

import io.orderflow.security.Caller;
import io.orderflow.view.domain.OrderView;
import io.orderflow.view.query.ProductUnits;
import io.orderflow.view.query.WindowQueries;
import io.orderflow.view.streams.LocalViews;
import io.orderflow.view.streams.OrderViewUpdates;
import io.orderflow.view.streams.ViewProperties;
import io.orderflow.view.streams.ViewStreams;
import io.orderflow.view.streams.ViewUnavailableException;
import io.orderflow.view.topology.OrderViewTopology;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queries of the read side. Each key lives on one instance: a query for it is answered there, and forwarded
 * there by any other instance. Revenue and top products span every key, so each instance's part is gathered.
 */
@RestController
@RequestMapping("/views")
class ViewController {

    private static final int MAX_ID_LENGTH = 200;
    private static final int MAX_TOP = 100;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final ViewStreams streams;
    private final LocalViews local;
    private final OrderViewUpdates updates;
    private final Forwarder forwarder;
    private final ViewProperties properties;
    private final Clock clock;
    private final ScatterGather scatterGather;

    ViewController(
            ViewStreams streams, OrderViewUpdates updates, ViewProperties properties, Clock clock, JsonMapper json) {
        this.streams = streams;
        this.local = new LocalViews(streams);
        this.updates = updates;
        this.forwarder = new Forwarder(properties.forwardTimeout());
        this.properties = properties;
        this.clock = clock;
        this.scatterGather = new ScatterGather(streams, forwarder, json);
    }

    /**
     * An order's view. With {@code minVersion} (the version a write answered with) it waits, up to
     * {@code orderflow.view.read-your-writes-limit}, until the view has caught up with that write.
     */
    @Operation(summary = "An order's view; with minVersion, once it has caught up with that write")
    @ApiResponse(
            responseCode = "200",
            description = "the view",
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", description = "a malformed id or minVersion")
    @ApiResponse(responseCode = "404", description = "not in the view (yet), or another customer's")
    @ApiResponse(
            responseCode = "503",
            description = "the view is rebuilding or not running, or (with minVersion) did not reach that version in"
                    + " time")
    @GetMapping("/orders/{orderId}")
    CompletableFuture<ResponseEntity<?>> order(
            @PathVariable String orderId,
            @RequestParam(required = false) Long minVersion,
            HttpServletRequest request,
            Caller caller) {
        requireId(orderId, "order id");
        if (minVersion != null && minVersion < 1) {
            throw new BadQueryException("minVersion must be at least 1, not " + minVersion);
        }
        HostInfo owner = ownerOf(OrderViewTopology.ORDER_VIEWS, orderId, request);
        if (!owner.equals(streams.self())) {
            Duration wait = minVersion == null ? Duration.ZERO : properties.readYourWritesLimit();
            return forwarder.forward(owner, streams.self(), request, wait).thenApply(Function.identity());
        }
        // Another customer's order is answered exactly as one the view does not have: at once without minVersion,
        // after the same wait with it. The answer of the wait is filtered too, since a waiter is handed the view
        // that reached the version, whoever asked for it.
        Function<String, Optional<OrderView>> visible =
                id -> local.order(id).filter(view -> caller.mayActFor(view.customerId()));
        if (minVersion == null) {
            return CompletableFuture.completedFuture(found(visible.apply(orderId), "order " + orderId));
        }
        return updates.await(orderId, minVersion, properties.readYourWritesLimit(), visible)
                .thenApply(view ->
                        caughtUp(orderId, minVersion, view.filter(found -> caller.mayActFor(found.customerId()))));
    }

    @Operation(summary = "A customer's orders, newest first, their count and lifetime value")
    @ApiResponse(
            responseCode = "200",
            description = "the customer's orders",
            content = @Content(schema = @Schema(implementation = CustomerOrdersResponse.class)))
    @ApiResponse(responseCode = "400", description = "a malformed customer id")
    @ApiResponse(responseCode = "403", description = "a customer asking for another customer's orders")
    @ApiResponse(responseCode = "404", description = "no order of that customer in the view")
    @ApiResponse(responseCode = "503", description = "the view is rebuilding or not running")
    @GetMapping("/customers/{customerId}/orders")
    CompletableFuture<ResponseEntity<?>> customerOrders(
            @PathVariable String customerId, HttpServletRequest request, Caller caller) {
        requireId(customerId, "customer id");
        if (!caller.mayActFor(customerId)) {
            throw new NotYoursException(
                    "you may see only your own orders ('" + caller.id() + "'), not those of '" + customerId + "'");
        }
        HostInfo owner = ownerOf(OrderViewTopology.CUSTOMER_ORDERS, customerId, request);
        if (!owner.equals(streams.self())) {
            return forwarder
                    .forward(owner, streams.self(), request, Duration.ZERO)
                    .thenApply(Function.identity());
        }
        Optional<CustomerOrdersResponse> orders =
                local.customer(customerId).map(found -> CustomerOrdersResponse.of(customerId, found));
        return CompletableFuture.completedFuture(found(orders, "customer " + customerId));
    }

    /** Revenue per minute and currency, for the minutes starting in [from, to); the last hour by default. */
    @Operation(summary = "Revenue per minute and currency, from confirmed orders")
    @ApiResponse(
            responseCode = "200",
            description = "the revenue",
            content = @Content(schema = @Schema(implementation = RevenueResponse.class)))
    @ApiResponse(responseCode = "400", description = "from not before to, or beyond what the view keeps")
    @ApiResponse(responseCode = "503", description = "the view is rebuilding or not running")
    @GetMapping("/revenue")
    CompletableFuture<ResponseEntity<?>> revenue(
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            HttpServletRequest request) {
        requireStoredTime("from", from);
        requireStoredTime("to", to);
        Instant end = to != null ? to : clock.instant();
        Instant start = from != null ? from : end.minus(Duration.ofHours(1));
        if (!start.isBefore(end)) {
            throw new BadQueryException("from (" + start + ") must be before to (" + end + ")");
        }
        if (Duration.between(start, end).compareTo(properties.revenueRetention()) > 0) {
            throw new BadQueryException("the view keeps revenue for " + properties.revenueRetention()
                    + "; ask for a shorter range than " + Duration.between(start, end));
        }
        if (Forwarder.wasForwarded(request)) {
            return served(RevenueResponse.of(start, end, local.revenue(start, end)));
        }
        // Every instance answers for the same range, whatever "now" is where it runs.
        return scatterGather
                .gather(
                        OrderViewTopology.REVENUE,
                        "/views/revenue?from=" + start + "&to=" + end,
                        Forwarder.authorization(request),
                        () -> local.revenue(start, end),
                        RevenueResponse.class,
                        RevenueResponse::minutes)
                .thenApply(parts -> ResponseEntity.ok(RevenueResponse.of(start, end, merge(parts))));
    }

    /** The products with the most units ordered in the last hour. */
    @Operation(summary = "The products ordered most in the last hour")
    @ApiResponse(
            responseCode = "200",
            description = "the products",
            content = @Content(schema = @Schema(implementation = TopProductsResponse.class)))
    @ApiResponse(responseCode = "400", description = "a limit out of range")
    @ApiResponse(responseCode = "503", description = "the view is rebuilding or not running")
    @GetMapping("/products/top")
    CompletableFuture<ResponseEntity<?>> topProducts(
            @RequestParam(defaultValue = "10") int limit, HttpServletRequest request) {
        if (limit < 1 || limit > MAX_TOP) {
            throw new BadQueryException("limit must be between 1 and " + MAX_TOP + ", not " + limit);
        }
        Instant now = clock.instant();
        if (Forwarder.wasForwarded(request)) {
            return served(TopProductsResponse.of(now, local.topProducts(now, limit)));
        }
        return scatterGather
                .gather(
                        OrderViewTopology.PRODUCT_UNITS,
                        "/views/products/top?limit=" + limit,
                        Forwarder.authorization(request),
                        () -> local.topProducts(now, limit),
                        TopProductsResponse.class,
                        TopProductsResponse::products)
                .thenApply(parts -> {
                    List<ProductUnits> all = merge(parts);
                    all.sort(WindowQueries.MOST_UNITS_FIRST);
                    return ResponseEntity.ok(TopProductsResponse.of(now, all.subList(0, Math.min(limit, all.size()))));
                });
    }

    private HostInfo ownerOf(String store, String key, HttpServletRequest request) {
        HostInfo owner = streams.ownerOf(store, key)
                .orElseThrow(() -> new ViewUnavailableException("the instances are sharing out the data"));
        if (!owner.equals(streams.self()) && Forwarder.wasForwarded(request)) {
            throw new ViewUnavailableException(
                    "the data moved to " + owner.host() + ":" + owner.port() + " while the query was on its way");
        }
        return owner;
    }

    private ResponseEntity<?> caughtUp(String orderId, long minVersion, Optional<OrderView> view) {
        if (view.isPresent() && view.get().version() >= minVersion) {
            return withServedBy(ResponseEntity.ok()).body(view.get());
        }
        throw new ViewUnavailableException("the view of order " + orderId + " is at version "
                + view.map(OrderView::version).orElse(0L) + " and did not reach version " + minVersion + " within "
                + properties.readYourWritesLimit());
    }

    private ResponseEntity<?> found(Optional<?> value, String what) {
        return withServedBy(ResponseEntity.ok()).body(value.orElseThrow(() -> new NotInViewException(what)));
    }

    private CompletableFuture<ResponseEntity<?>> served(Object body) {
        return CompletableFuture.completedFuture(
                withServedBy(ResponseEntity.ok()).body(body));
    }

    private ResponseEntity.BodyBuilder withServedBy(ResponseEntity.BodyBuilder builder) {
        return builder.header(
                Forwarder.SERVED_BY,
                streams.self().host() + ":" + streams.self().port());
    }

    private static <T> List<T> merge(List<List<T>> parts) {
        List<T> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    /**
     * Windows are keyed by record timestamps, which Kafka never sets before 1970; near Instant's own limits the window
     * arithmetic would overflow.
     */
    private static void requireStoredTime(String name, Instant time) {
        if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
            throw new BadQueryException(name + " must be between " + EARLIEST + " and " + LATEST + ", not " + time);
        }
    }

    private static void requireId(String id, String what) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw new BadQueryException(what + " must have 1 to " + MAX_ID_LENGTH + " characters");
        }
    }
}
