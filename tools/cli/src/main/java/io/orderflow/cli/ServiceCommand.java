package io.orderflow.cli;

import io.orderflow.dashboard.DashboardApplication;
import io.orderflow.devstack.ServiceName;
import io.orderflow.inventory.InventoryServiceApplication;
import io.orderflow.order.OrderServiceApplication;
import io.orderflow.payment.PaymentServiceApplication;
import io.orderflow.shipping.ShippingServiceApplication;
import io.orderflow.view.OrderViewApplication;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one service in this JVM, against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL. */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        description = "Run one service (order, inventory, payment, shipping, order-view or dashboard) in this process.")
final class ServiceCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "order, inventory, payment, shipping, order-view or dashboard")
    String service;

    @Override
    public Integer call() throws InterruptedException {
        ServiceName name = ServiceName.parse(service);
        // Spring Boot's shutdown hook closes the context on SIGTERM and Ctrl-C: the graceful shutdown.
        ConfigurableApplicationContext context = application(name).run();
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener((ContextClosedEvent event) -> closed.countDown());
        if (context.isActive()) {
            closed.await();
        }
        return 0;
    }

    private static SpringApplication application(ServiceName name) {
        return switch (name) {
            case ORDER -> OrderServiceApplication.application();
            case INVENTORY -> InventoryServiceApplication.application();
            case PAYMENT -> PaymentServiceApplication.application();
            case SHIPPING -> ShippingServiceApplication.application();
            case ORDER_VIEW -> OrderViewApplication.application();
            case DASHBOARD -> DashboardApplication.application();
        };
    }
}
