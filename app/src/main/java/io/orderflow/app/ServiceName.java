package io.orderflow.app;

import io.orderflow.inventory.InventoryServiceApplication;
import io.orderflow.order.OrderServiceApplication;
import io.orderflow.payment.PaymentServiceApplication;
import io.orderflow.shipping.ShippingServiceApplication;
import io.orderflow.view.OrderViewApplication;
import java.util.function.Supplier;
import org.springframework.boot.SpringApplication;

/** The services the launcher knows, with their default HTTP ports. */
enum ServiceName {
    ORDER("order-service", 8081, OrderServiceApplication::application),
    INVENTORY("inventory-service", 8082, InventoryServiceApplication::application),
    PAYMENT("payment-service", 8083, PaymentServiceApplication::application),
    SHIPPING("shipping-service", 8084, ShippingServiceApplication::application),
    ORDER_VIEW("order-view", 8085, OrderViewApplication::application);

    private final String displayName;
    private final int defaultPort;
    private final Supplier<SpringApplication> application;

    ServiceName(String displayName, int defaultPort, Supplier<SpringApplication> application) {
        this.displayName = displayName;
        this.defaultPort = defaultPort;
        this.application = application;
    }

    String displayName() {
        return displayName;
    }

    int defaultPort() {
        return defaultPort;
    }

    SpringApplication application() {
        return application.get();
    }

    /** The environment variable that overrides the port, such as {@code ORDER_SERVICE_PORT}. */
    String portVariable() {
        return name() + "_SERVICE_PORT";
    }

    static ServiceName parse(String value) {
        for (ServiceName name : values()) {
            if (name.name().equalsIgnoreCase(value) || name.displayName.equalsIgnoreCase(value)
                    || name.name().replace("_", "-").equalsIgnoreCase(value)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown service '" + value
                + "'; known: order, inventory, payment, shipping, order-view");
    }
}
