package io.orderflow.devstack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system's services as the local stack runs them, each in a JVM of its own: default HTTP port, main class and
 * JVM settings. The main classes are named, not imported, so that the stack tooling does not depend on the services
 * it starts; the launcher's class path holds them.
 */
public enum ServiceName {
    ORDER("order-service", 8081, "io.orderflow.order.OrderServiceApplication", Jvm.SMALL),
    INVENTORY("inventory-service", 8082, "io.orderflow.inventory.InventoryServiceApplication", Jvm.SMALL),
    PAYMENT("payment-service", 8083, "io.orderflow.payment.PaymentServiceApplication", Jvm.SMALL),
    SHIPPING("shipping-service", 8084, "io.orderflow.shipping.ShippingServiceApplication", Jvm.SMALL),
    ORDER_VIEW("order-view", 8085, "io.orderflow.view.OrderViewApplication", Jvm.STREAMS),
    /** Last: it is given the addresses of all the others. */
    DASHBOARD("dashboard", 8080, "io.orderflow.dashboard.DashboardApplication", Jvm.SMALL);

    /** The environment variable that tells payment-service where the payment provider listens. */
    public static final String PAYMENT_PROVIDER_URL = "PAYMENT_PROVIDER_URL";

    private final String displayName;
    private final int defaultPort;
    private final String mainClass;
    private final List<String> jvmOptions;

    ServiceName(String displayName, int defaultPort, String mainClass, List<String> jvmOptions) {
        this.displayName = displayName;
        this.defaultPort = defaultPort;
        this.mainClass = mainClass;
        this.jvmOptions = jvmOptions;
    }

    private static final class Jvm {
        /**
         * Only the client compiler (C1). On a machine where a dozen JVMs share two cores, the optimising compiler
         * (C2) of each never catches up: ten minutes into a bench it still took a third of all the CPU, half of
         * order-service's, in compilations of framework code that each order runs once. C1 compiles quickly, and its
         * code is slower only where the services do little of their work (docs/benchmarks.md has both measured).
         */
        static final String CLIENT_COMPILER = "-XX:TieredStopAtLevel=1";

        /** The services hold little between requests and records: a small heap and the serial collector. */
        static final List<String> SMALL =
                List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-Xss512k", CLIENT_COMPILER);
        /**
         * Kafka Streams keeps fetched records and cached store entries across a commit interval: they live long
         * enough to reach the old generation, and the serial collector then stops the view for a full collection of
         * 300-500 ms, longer than its freshness budget. G1 collects them in short pauses. It also grows the heap to
         * its maximum whatever is live: about 100 MiB was, in a 512 MiB heap. 384 MiB leaves a rebuild, which fetches
         * every partition's history at once, room that 256 MiB was not shown to have.
         */
        static final List<String> STREAMS =
                List.of("-Xms128m", "-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Xss512k", CLIENT_COMPILER);

        private Jvm() {}
    }

    public String displayName() {
        return displayName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Heap and collector of the service's own JVM when the launcher starts it. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The class whose {@code main} runs the service. */
    public String mainClass() {
        return mainClass;
    }

    /** The environment variable that overrides the port, such as {@code ORDER_SERVICE_PORT}. */
    public String portVariable() {
        return name() + "_SERVICE_PORT";
    }

    /**
     * The environment that tells the dashboard where each service listens: {@code ORDER_SERVICE_URL} and so on, as
     * its configuration reads them.
     */
    public static Map<String, String> urls(Map<ServiceName, Integer> ports) {
        Map<String, String> urls = new HashMap<>();
        ports.forEach((name, port) -> urls.put(name.name() + "_SERVICE_URL", "http://127.0.0.1:" + port));
        return urls;
    }

    public static ServiceName parse(String value) {
        for (ServiceName name : values()) {
            if (name.name().equalsIgnoreCase(value)
                    || name.displayName.equalsIgnoreCase(value)
                    || name.name().replace("_", "-").equalsIgnoreCase(value)) {
                return name;
            }
        }
        throw new IllegalArgumentException(
                "unknown service '" + value + "'; known: order, inventory, payment, shipping, order-view, dashboard");
    }
}
