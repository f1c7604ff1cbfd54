package io.orderflow.inventory.messaging;

import io.orderflow.inventory.application.CatalogueService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Announces every product that was never announced, with its prices, at start-up: order-service keeps its copy of
 * the catalogue from these events, refuses orders for products that do not exist and prices the others.
 */
@Component
class CatalogueAnnouncer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CatalogueAnnouncer.class);

    private final CatalogueService catalogue;

    CatalogueAnnouncer(CatalogueService catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public void run(ApplicationArguments args) {
        int announced = catalogue.announceUnlisted();
        if (announced > 0) {
            log.info("Announced {} product(s) to the other services", announced);
        }
    }
}
