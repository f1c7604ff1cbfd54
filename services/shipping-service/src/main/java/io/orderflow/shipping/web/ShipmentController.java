package io.orderflow.shipping.web;

import io.orderflow.security.Caller;
import io.orderflow.shipping.application.ShipmentRepository;
import io.orderflow.shipping.domain.Shipment;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Read-only: an order's shipment. */
@RestController
class ShipmentController {

    private final ShipmentRepository shipments;

    ShipmentController(ShipmentRepository shipments) {
        this.shipments = shipments;
    }

    @Operation(summary = "An order's shipment: carrier, tracking number, status")
    @ApiResponse(
            responseCode = "200",
            description = "the shipment",
            content = @Content(schema = @Schema(implementation = Shipment.class)))
    @ApiResponse(responseCode = "400", description = "an order id that is not a UUID")
    @ApiResponse(responseCode = "404", description = "no shipment for that order, or another customer's")
    @GetMapping("/shipments/{orderId}")
    ResponseEntity<?> shipment(@PathVariable UUID orderId, Caller caller) {
        // Another customer's shipment is answered as if there were none; so is one whose customer is not known.
        return shipments
                .find(orderId)
                .filter(shipment -> caller.actsForAnyCustomer() || caller.mayActFor(shipment.customerId()))
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(ProblemDetail.forStatusAndDetail(
                                HttpStatus.NOT_FOUND, "no shipment for order " + orderId)));
    }
}
