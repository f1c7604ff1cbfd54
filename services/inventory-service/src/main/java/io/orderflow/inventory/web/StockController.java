package io.orderflow.inventory.web;

import io.orderflow.inventory.application.CatalogueService;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockRepository.ProductStock;
import io.orderflow.inventory.domain.PriceRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StockController {

    private final ReservationService reservations;
    private final CatalogueService catalogue;

    StockController(ReservationService reservations, CatalogueService catalogue) {
        this.reservations = reservations;
        this.catalogue = catalogue;
    }

    /** Every product: stock, and the unit price in each currency it is sold in. */
    @Operation(summary = "Every product: its stock, and its price in each currency it is sold in")
    @GetMapping("/stock")
    List<ProductStock> stock() {
        return reservations.stock();
    }

    /**
     * Replaces a product's price list, e.g. {@code {"EUR": 94.90, "USD": 99.00}}; a currency left out is no longer
     * sold. Orders placed before keep the price they were placed at.
     */
    @Operation(
            summary = "Replaces a product's price list",
            description = "A currency left out is no longer sold; orders placed before keep their price. Published as"
                    + " ProductListed in the same transaction.")
    @ApiResponse(
            responseCode = "200",
            description = "the product as it is listed now",
            content = @Content(schema = @Schema(implementation = ProductStock.class)))
    @ApiResponse(responseCode = "404", description = "no such product")
    @ApiResponse(responseCode = "422", description = "an invalid price list, each problem named")
    @PutMapping(path = "/stock/{productId}/prices", consumes = "application/json")
    ResponseEntity<?> reprice(@PathVariable String productId, @RequestBody Map<String, BigDecimal> prices) {
        List<String> violations = PriceRules.violations(prices);
        if (!violations.isEmpty()) {
            ProblemDetail problem =
                    ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, String.join("; ", violations));
            problem.setTitle("Invalid price list");
            return ResponseEntity.of(problem).build();
        }
        return catalogue
                .reprice(productId, prices)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> {
                    ProblemDetail problem =
                            ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no product with id " + productId);
                    problem.setTitle("Unknown product");
                    return ResponseEntity.of(problem).build();
                });
    }
}
