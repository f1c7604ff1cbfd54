package io.orderflow.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one service in this JVM, against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL. */
@Command(name = "service", description = "Run one service (order, inventory, payment or shipping) in this process.")
final class ServiceCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "order, inventory, payment or shipping")
    String service;

    @Override
    public Integer call() throws InterruptedException {
        ServiceName name = ServiceName.parse(service);
        // Spring Boot's shutdown hook closes the context on SIGTERM and Ctrl-C: the graceful shutdown.
        ConfigurableApplicationContext context = name.application().run();
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener((ContextClosedEvent event) -> closed.countDown());
        if (context.isActive()) {
            closed.await();
        }
        return 0;
    }
}
