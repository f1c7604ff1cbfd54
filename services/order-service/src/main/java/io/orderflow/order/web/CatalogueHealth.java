package io.orderflow.order.web;

import io.orderflow.order.application.Catalogue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** order-service cannot take orders before it has a copy of the catalogue from inventory. */
@Component
class CatalogueHealth implements HealthIndicator {

    private final Catalogue catalogue;

    CatalogueHealth(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public Health health() {
        return catalogue.isEmpty()
                ? Health.outOfService()
                        .withDetail("catalogue", "no product received from inventory yet")
                        .build()
                : Health.up().build();
    }
}
