package io.orderflow.dashboard.web;

import io.orderflow.dashboard.DashboardProperties;
import io.orderflow.dashboard.probe.EventDocuments;
import io.orderflow.dashboard.probe.EventDocuments.ServiceDocument;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Every service's AsyncAPI document, for the event catalogue page ({@code catalogue.html}) to render. */
@RestController
class EventCatalogueController {

    private final EventDocuments documents;
    private final DashboardProperties properties;

    EventCatalogueController(EventDocuments documents, DashboardProperties properties) {
        this.documents = documents;
        this.properties = properties;
    }

    @GetMapping("/api/event-documents")
    List<ServiceDocument> eventDocuments() {
        return documents.read(properties.services());
    }
}
