package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.Price;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.inventory.application.CatalogueEvents;
import io.orderflow.inventory.application.StockRepository.ProductStock;
import java.time.Instant;
import org.springframework.stereotype.Component;

@Component
class OutboxCatalogueEvents implements CatalogueEvents {

    private final Outbox outbox;

    OutboxCatalogueEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void listed(ProductStock product, Instant at) {
        outbox.appendFirst(
                Topics.INVENTORY,
                product.productId(),
                new ProductListed(
                        product.productId(),
                        product.name(),
                        at,
                        product.prices().entrySet().stream()
                                .map(price -> new Price(price.getKey(), price.getValue()))
                                .toList()));
    }
}
