package io.orderflow.inventory.messaging;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.inventory.ProductListed;
import io.orderflow.eventing.outbox.Outbox;
import io.orderflow.inventory.application.StockRepository;
import io.orderflow.inventory.application.StockRepository.ProductStock;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Announces every product that was never announced, through the outbox, at start-up: order-service keeps its copy
 * of the catalogue from these events and refuses orders for products that do not exist.
 */
@Component
class CatalogueAnnouncer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CatalogueAnnouncer.class);

    private final StockRepository stock;
    private final Outbox outbox;
    private final Clock clock;

    CatalogueAnnouncer(StockRepository stock, Outbox outbox, Clock clock) {
        this.stock = stock;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        var unlisted = stock.lockUnlisted();
        for (ProductStock product : unlisted) {
            outbox.appendFirst(Topics.INVENTORY, product.productId(),
                    new ProductListed(product.productId(), product.name(), clock.instant()));
        }
        if (!unlisted.isEmpty()) {
            stock.markListed(unlisted.stream().map(ProductStock::productId).toList());
            log.info("Announced {} product(s) to the other services", unlisted.size());
        }
    }
}
