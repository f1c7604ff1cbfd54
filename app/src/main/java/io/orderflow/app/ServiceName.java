package io.orderflow.app;

import io.orderflow.dashboard.DashboardApplication;
import io.orderflow.inventory.InventoryServiceApplication;
import io.orderflow.order.OrderServiceApplication;
import io.orderflow.payment.PaymentServiceApplication;
import io.orderflow.shipping.ShippingServiceApplication;
import io.orderflow.view.OrderViewApplication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.SpringApplication;

/** The services the launcher knows, with their default HTTP ports. */
enum ServiceName {
    ORDER("order-service", 8081, OrderServiceApplication::application, Jvm.SMALL),
    INVENTORY("inventory-service", 8082, InventoryServiceApplication::application, Jvm.SMALL),
    PAYMENT("payment-service", 8083, PaymentServiceApplication::application, Jvm.SMALL),
    SHIPPING("shipping-service", 8084, ShippingServiceApplication::application, Jvm.SMALL),
    ORDER_VIEW("order-view", 8085, OrderViewApplication::application, Jvm.STREAMS),
    /** Last: it is given the addresses of all the others. */
    DASHBOARD("dashboard", 8080, DashboardApplication::application, Jvm.SMALL);

    private final String displayName;
    private final int defaultPort;
    private final Supplier<SpringApplication> application;
    private final List<String> jvmOptions;

    ServiceName(String displayName, int defaultPort, Supplier<SpringApplication> application, List<String> jvmOptions) {
        this.displayName = displayName;
        this.defaultPort = defaultPort;
        this.application = application;
        this.jvmOptions = jvmOptions;
    }

    private static final class Jvm {
        /** The services hold little between requests and records: a small heap and the serial collector. */
        static final List<String> SMALL = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-Xss512k");
        /**
         * Kafka Streams keeps fetched records and cached store entries across a commit interval: they live long
         * enough to reach the old generation, and the serial collector then stops the view for a full collection of
         * 300-500 ms, longer than its freshness budget. G1 collects them in short pauses.
         */
        static final List<String> STREAMS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-Xss512k");

        private Jvm() {
        }
    }

    String displayName() {
        return displayName;
    }

    int defaultPort() {
        return defaultPort;
    }

    /** Heap and collector of the service's own JVM when the launcher starts it. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    SpringApplication application() {
        return application.get();
    }

    /** The environment variable that overrides the port, such as {@code ORDER_SERVICE_PORT}. */
    String portVariable() {
        return name() + "_SERVICE_PORT";
    }

    /**
     * The environment that tells the dashboard where each service listens: {@code ORDER_SERVICE_URL} and so on, as
     * its configuration reads them.
     */
    static Map<String, String> urls(Map<ServiceName, Integer> ports) {
        Map<String, String> urls = new HashMap<>();
        ports.forEach((name, port) -> urls.put(name.name() + "_SERVICE_URL", "http://127.0.0.1:" + port));
        return urls;
    }

    static ServiceName parse(String value) {
        for (ServiceName name : values()) {
            if (name.name().equalsIgnoreCase(value) || name.displayName.equalsIgnoreCase(value)
                    || name.name().replace("_", "-").equalsIgnoreCase(value)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown service '" + value
                + "'; known: order, inventory, payment, shipping, order-view, dashboard");
    }
}
