package io.orderflow.dashboard;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the dashboard, under {@code orderflow.dashboard}.
 *
 * @param services     every service to watch, by name, in the order shown
 * @param refresh      how often the services are read and the browsers updated
 * @param recentOrders how many of the latest orders are shown with their timelines
 * @param maxReplays   replays after which a dead letter that failed again is quarantined
 */
@ConfigurationProperties("orderflow.dashboard")
public record DashboardProperties(
        Map<String, URI> services,
        @DefaultValue("2s") Duration refresh,
        @DefaultValue("8") int recentOrders,
        @DefaultValue("3") int maxReplays) {

    public static final String ORDER_SERVICE = "order-service";
    public static final String ORDER_VIEW = "order-view";

    public DashboardProperties {
        services = services == null ? Map.of() : new LinkedHashMap<>(services);
    }

    public URI service(String name) {
        URI url = services.get(name);
        if (url == null) {
            throw new IllegalStateException("set orderflow.dashboard.services." + name);
        }
        return url;
    }
}
