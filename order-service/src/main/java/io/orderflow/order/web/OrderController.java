package io.orderflow.order.web;

import io.orderflow.order.application.OrderNotFoundException;
import io.orderflow.order.application.OrderService;
import io.orderflow.order.application.PlaceOrder;
import io.orderflow.order.application.Placement;
import io.orderflow.order.domain.OrderLine;
import jakarta.validation.Valid;
import java.net.URI;
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
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<?> place(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                            @Valid @RequestBody PlaceOrderRequest request) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7E]{1,255}")) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters");
            problem.setTitle("Invalid idempotency key");
            return ResponseEntity.of(problem).build();
        }
        PlaceOrder command = new PlaceOrder(request.customerId(), request.currency(), request.items().stream()
                .map(item -> new OrderLine(item.productId(), item.quantity(), item.unitPrice()))
                .toList());
        Placement placement = orders.place(command, Optional.ofNullable(idempotencyKey));
        if (placement instanceof Placement.Created created) {
            return ResponseEntity.created(URI.create("/orders/" + created.order().id()))
                    .body(OrderResponse.of(created.order()));
        }
        if (placement instanceof Placement.Replayed replayed) {
            return ResponseEntity.ok()
                    .location(URI.create("/orders/" + replayed.order().id()))
                    .header(REPLAYED, "true")
                    .body(OrderResponse.of(replayed.order()));
        }
        if (placement instanceof Placement.UnknownProducts unknown) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                    "unknown product(s): " + String.join(", ", unknown.productIds()));
            problem.setTitle("Unknown product");
            problem.setProperty("unknownProducts", unknown.productIds());
            return ResponseEntity.of(problem).build();
        }
        Placement.KeyReused reused = (Placement.KeyReused) placement;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                IDEMPOTENCY_KEY + " '" + reused.idempotencyKey()
                        + "' was already used for a different order request; use a new key");
        problem.setTitle("Idempotency key reused");
        return ResponseEntity.of(problem).build();
    }

    @GetMapping("/{id}")
    OrderResponse get(@PathVariable UUID id) {
        return orders.find(id).map(OrderResponse::of).orElseThrow(() -> new OrderNotFoundException(id));
    }
}
