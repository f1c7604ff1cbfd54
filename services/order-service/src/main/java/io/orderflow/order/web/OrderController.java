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

    @PostMapping(consumes = "application/json")
    ResponseEntity<?> place(
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrderRequest request,
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
    @GetMapping("/{id}")
    OrderResponse get(@PathVariable UUID id, Caller caller) {
        requireVisible(id, caller);
        return OrderResponse.withHistory(id, orders.history(id));
    }

    /** Orders, the most recently changed first; {@code status} lists one status, e.g. COMPENSATION_FAILED. */
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

    private static ResponseEntity<?> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.of(problem).build();
    }
}
