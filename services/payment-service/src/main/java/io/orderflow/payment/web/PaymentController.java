package io.orderflow.payment.web;

import io.orderflow.payment.application.PaymentRepository;
import io.orderflow.payment.application.Refunds;
import io.orderflow.payment.domain.Payment;
import io.orderflow.security.Caller;
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

/** Read-only: what was decided for an order's payment, and its refund if it was cancelled after the charge. */
@RestController
class PaymentController {

    private final PaymentRepository payments;
    private final Refunds refunds;

    PaymentController(PaymentRepository payments, Refunds refunds) {
        this.payments = payments;
        this.refunds = refunds;
    }

    @Operation(summary = "An order's payment: its charge, and its refund if it has one")
    @ApiResponse(
            responseCode = "200",
            description = "the payment",
            content = @Content(schema = @Schema(implementation = PaymentResponse.class)))
    @ApiResponse(responseCode = "400", description = "an order id that is not a UUID")
    @ApiResponse(responseCode = "404", description = "no payment for that order, or another customer's")
    @GetMapping("/payments/{orderId}")
    ResponseEntity<?> payment(@PathVariable UUID orderId, Caller caller) {
        // Another customer's payment is answered as if there were none; so is one whose customer is not known (it
        // was voided before it was ever charged), unless the caller may see every customer's.
        return payments.find(orderId)
                .filter(payment -> caller.actsForAnyCustomer() || caller.mayActFor(payment.customerId()))
                .<ResponseEntity<?>>map(payment -> ResponseEntity.ok(
                        PaymentResponse.of(payment, refunds.find(orderId).orElse(null))))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(ProblemDetail.forStatusAndDetail(
                                HttpStatus.NOT_FOUND, "no payment for order " + orderId)));
    }

    record PaymentResponse(
            UUID orderId,
            String status,
            String amount,
            String currency,
            String chargeId,
            String declineReason,
            String voidReason,
            String decidedAt,
            Refunds.RefundState refund) {
        static PaymentResponse of(Payment payment, Refunds.RefundState refund) {
            return new PaymentResponse(
                    payment.orderId(),
                    payment.status().name(),
                    payment.amount() == null ? null : payment.amount().toPlainString(),
                    payment.currency(),
                    payment.chargeId(),
                    payment.declineReason(),
                    payment.voidReason(),
                    payment.decidedAt().toString(),
                    refund);
        }
    }
}
