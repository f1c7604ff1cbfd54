package io.orderflow.inventory.web;

import io.orderflow.inventory.application.ReservationService;
import io.orderflow.inventory.application.StockRepository.ProductStock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StockController {

    private final ReservationService reservations;

    StockController(ReservationService reservations) {
        this.reservations = reservations;
    }

    @GetMapping("/stock")
    List<ProductStock> stock() {
        return reservations.stock();
    }
}
