package io.orderflow.order.web;

import io.orderflow.order.application.CancelOutcome;
import io.orderflow.order.application.OrderNotFoundException;
import io.orderflow.order.application.OrderService;
import io.orderflow.order.application.OrderSummary;
import io.orderflow.order.application.PlaceOrder;
import io.orderflow.order.application.Placement;
import io.orderflow.order.domain.Cancellation;
import io.orderflow.order.domain.OrderStatus;
import io.orderflow.order.domain.Pricing;
import io.orderflow.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LIST = 500;

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @Operation(
            summary = "Places an order, priced by the catalogue",
            description = "Priced from order-service's copy of inventory's catalogue (GET /stock on"
                    + " inventory-service), kept current by its ProductListed events; a unitPrice the client sends is"
                    + " only checked against it. The same Idempotency-Key with the same request answers the same"
                    + " order again (200, Idempotent-Replayed: true), never a second one.")
    @ApiResponse(
            responseCode = "201",
            description = "placed: the order, PLACED; Location is its address",
            content = @Content(schema = @Schema(implementation = OrderResponse.class)))
    @ApiResponse(
            responseCode = "200",
            description = "this key placed this order before: the same order, with Idempotent-Replayed: true",
            content = @Content(schema = @Schema(implementation = OrderResponse.class)))
    @ApiResponse(responseCode = "400", description = "malformed JSON, a wrong type, or an unusable Idempotency-Key")
    @ApiResponse(responseCode = "403", description = "a customer placing an order for another customer id")
    @ApiResponse(responseCode = "409", description = "a unitPrice that is not the catalogue's (the price changed)")
    @ApiResponse(responseCode = "413", description = "a body over orderflow.http.max-body-size (64 KB)")
    @ApiResponse(responseCode = "415", description = "a body that is not application/json")
    @ApiResponse(
            responseCode = "422",
            description = "a broken rule (every field named), a product not in the catalogue or not sold in the"
                    + " currency, an order whose total is too large, or an Idempotency-Key used for another request")
    @PostMapping(consumes = "application/json")
    ResponseEntity<?> place(
            @Parameter(
                            description = "makes a retry safe: the same key and request answer the same order; 1 to"
                                    + " 255 visible ASCII characters, the customer's own",
                            example = "checkout-2026-11-30-0001")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    String idempotencyKey,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            examples =
                                                    @ExampleObject(
                                                            name = "the demo's first order",
                                                            value = "{\"customerId\": \"alice\", \"currency\":"
                                                                    + " \"EUR\", \"items\": [{\"productId\":"
                                                                    + " \"KB-001\", \"quantity\": 1},"
                                                                    + " {\"productId\": \"MS-002\","
                                                                    + " \"quantity\": 2}]}")))
                    @Valid
                    @RequestBody
                    PlaceOrderRequest request,
            Caller caller) {
        if (!caller.mayActFor(request.customerId())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.FORBIDDEN,
                    "customerId: you may place orders only as yourself ('" + caller.id() + "'), not as '"
                            + request.customerId() + "'");
            problem.setTitle("Not your customer id");
            return ResponseEntity.of(problem).build();
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7E]{1,255}")) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters");
            problem.setTitle("Invalid idempotency key");
            return ResponseEntity.of(problem).build();
        }
        PlaceOrder command = new PlaceOrder(
                request.customerId(),
                request.currency(),
                request.items().stream()
                        .map(item -> new Pricing.RequestedItem(
                                item.productId(), item.quantity(), Optional.ofNullable(item.unitPrice())))
                        .toList());
        Placement placement = orders.place(command, Optional.ofNullable(idempotencyKey));
        if (placement instanceof Placement.Created created) {
            return ResponseEntity.created(
                            URI.create("/orders/" + created.order().id()))
                    .body(OrderResponse.of(created.order()));
        }
        if (placement instanceof Placement.Replayed replayed) {
            return ResponseEntity.ok()
                    .location(URI.create("/orders/" + replayed.order().id()))
                    .header(REPLAYED, "true")
                    .body(OrderResponse.of(replayed.order()));
        }
        if (placement instanceof Placement.Unpriced unpriced) {
            return ResponseEntity.of(PricingProblems.of(unpriced.refusal())).build();
        }
        Placement.KeyReused reused = (Placement.KeyReused) placement;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                IDEMPOTENCY_KEY + " '" + reused.idempotencyKey()
                        + "' was already used for a different order request; use a new key");
        problem.setTitle("Idempotency key reused");
        return ResponseEntity.of(problem).build();
    }

    /** The order with its whole history: every event, oldest first, with when it happened. */
    @Operation(summary = "An order with its whole history, oldest event first")
    @ApiResponse(responseCode = "200", description = "the order")
    @ApiResponse(responseCode = "400", description = "an id that is not a UUID")
    @ApiResponse(responseCode = "404", description = "no such order, or another customer's")
    @GetMapping("/{id}")
    OrderResponse get(@PathVariable UUID id, Caller caller) {
        requireVisible(id, caller);
        return OrderResponse.withHistory(id, orders.history(id));
    }

    /** Orders, the most recently changed first; {@code status} lists one status, e.g. COMPENSATION_FAILED. */
    @Operation(summary = "Orders, the most recently changed first; status lists those in one status")
    @ApiResponse(
            responseCode = "200",
            description = "{\"orders\": [...], \"count\": n}",
            content = @Content(schema = @Schema(implementation = OrderList.class)))
    @ApiResponse(responseCode = "400", description = "an unknown status, or a limit outside 1-500")
    @GetMapping
    ResponseEntity<?> list(
            @RequestParam(required = false) String status, @RequestParam(defaultValue = "100") int limit) {
        Optional<OrderStatus> wanted;
        try {
            wanted = Optional.ofNullable(status).map(OrderStatus::valueOf);
        } catch (IllegalArgumentException e) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "Invalid parameter",
                    "status: '" + status + "' is not one of " + Arrays.toString(OrderStatus.values()));
        }
        if (limit < 1 || limit > MAX_LIST) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid parameter", "limit: must be between 1 and " + MAX_LIST);
        }
        List<OrderSummary> found = orders.list(wanted, limit);
        return ResponseEntity.ok(Map.of("orders", found, "count", found.size()));
    }

    /**
     * The customer cancels: 202 while stock and payment are given back, 200 when it was already under way, 409 once
     * the order is shipped (or cannot be cancelled for another reason, named in the answer).
     */
    @Operation(summary = "The customer cancels the order")
    @ApiResponse(
            responseCode = "202",
            description = "cancelling: stock and payment are being given back",
            content = @Content(schema = @Schema(implementation = OrderResponse.class)))
    @ApiResponse(
            responseCode = "200",
            description = "already cancelling or cancelled",
            content = @Content(schema = @Schema(implementation = OrderResponse.class)))
    @ApiResponse(responseCode = "404", description = "no such order, or another customer's")
    @ApiResponse(
            responseCode = "409",
            description = "shipped, rejected or otherwise past cancelling (the reason named); or, with Retry-After,"
                    + " the order kept changing under the cancellation: ask again")
    @PostMapping("/{id}/cancel")
    ResponseEntity<?> cancel(@PathVariable UUID id, Caller caller) {
        requireVisible(id, caller);
        CancelOutcome outcome = orders.cancel(id);
        Cancellation cancellation = outcome.cancellation();
        if (cancellation instanceof Cancellation.Refused refused) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, refused.reason());
            problem.setTitle("Order cannot be cancelled");
            problem.setProperty("orderStatus", outcome.order().status().name());
            return ResponseEntity.of(problem).build();
        }
        HttpStatus status = cancellation instanceof Cancellation.Started ? HttpStatus.ACCEPTED : HttpStatus.OK;
        return ResponseEntity.status(status)
                .location(URI.create("/orders/" + id))
                .body(OrderResponse.of(outcome.order()));
    }

    /**
     * Another customer's order is answered as if it did not exist: a 403 would tell them that it does. Its customer
     * never changes, so checking before acting on it is safe.
     */
    private void requireVisible(UUID id, Caller caller) {
        if (caller.actsForAnyCustomer()) {
            return;
        }
        orders.find(id)
                .filter(order -> caller.mayActFor(order.customerId()))
                .orElseThrow(() -> new OrderNotFoundException(id));
    }

    /** What {@code GET /orders} answers, for the API document. */
    record OrderList(List<OrderSummary> orders, int count) {}

    private static ResponseEntity<?> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.of(problem).build();
    }
}
