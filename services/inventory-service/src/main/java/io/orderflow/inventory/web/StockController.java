package io.orderflow.inventory.web;

import io.orderflow.inventory.application.CatalogueService;
import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockRepository.ProductStock;
import io.orderflow.inventory.domain.PriceRules;
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
    @GetMapping("/stock")
    List<ProductStock> stock() {
        return reservations.stock();
    }

    /**
     * Replaces a product's price list, e.g. {@code {"EUR": 94.90, "USD": 99.00}}; a currency left out is no longer
     * sold. Orders placed before keep the price they were placed at.
     */
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
