package io.orderflow.cli;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.JavaProcess;
import io.orderflow.devstack.PidFile;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.ServiceJvm;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.devstack.StackRealm;
import io.orderflow.devstack.StackSettings;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.provider.PaymentProviderServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts everything, shows a few orders crossing the system, and keeps running until Ctrl-C. */
@Command(name = "up", description = "Start the embedded stack and every service, place demo orders, follow them.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    KafkaNodes brokers;

    @Option(names = "--fresh", description = "Wipe the work directory (orders, stock, topics) first.")
    boolean fresh;

    @Option(
            names = "--demo-orders",
            defaultValue = "4",
            description = "Demo orders to place (default ${DEFAULT-VALUE}; 0 for none).")
    int demoOrders;

    @Option(names = "--exit-after-demo", description = "Stop everything once the demo orders are settled.")
    boolean exitAfterDemo;

    private final List<ServiceProcess> services = new ArrayList<>();
    private DevStack stack;
    private PaymentProviderServer paymentProvider;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        StackSettings settings = brokers.settings();
        ClientConfig client = ClientConfig.fromEnvironment();
        if (fresh) {
            DevStack.wipe(settings.workDirectory());
            Console.line("Wiped " + settings.workDirectory());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(
                () -> {
                    stopAll();
                    stopped.countDown();
                },
                "orderflow-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        Path logs = settings.workDirectory().resolve("logs");
        // Services a killed launcher left behind go first: they hold connections to the old infrastructure.
        for (ServiceName name : ServiceName.values()) {
            PidFile.stopLeftover(
                    ServiceProcess.pidFile(logs, name), name.displayName(), JavaProcess.roleMark(name.displayName()));
        }

        Console.heading("Starting infrastructure");
        stack = brokers.start(settings);
        Console.line("  Kafka       " + stack.bootstrapServers()
                + describe(stack.isKafkaEmbedded(), settings.workDirectory().resolve("kafka")));
        client.file()
                .ifPresent(file -> Console.line(
                        "              client settings from " + file + " (" + ClientConfig.VARIABLE + ")"));
        stack.kafka()
                .filter(cluster -> cluster.size() > 1)
                .ifPresent(cluster -> Console.line("              " + cluster.size()
                        + " KRaft nodes, each a broker and a"
                        + " controller; every topic " + cluster.size() + " replicas, " + cluster.minInsyncReplicas()
                        + " in sync for a write"));
        Console.line("  PostgreSQL  " + stack.jdbcUrl()
                + describe(stack.isDatabaseEmbedded(), settings.workDirectory().resolve("postgres")));
        Console.line("  Schemas     " + stack.schemaRegistryUrl()
                + (stack.isSchemaRegistryEmbedded() ? "  (embedded, kept in topic _schemas)" : "  (external)"));
        Console.line("  Auth        " + stack.issuerUri() + "  (OAuth2/OpenID Connect issuer; users, clients in "
                + stack.authServer().realmFile() + ")");
        KafkaNodes.printClientConfigurations(stack);

        Map<String, String> environment = new HashMap<>(stack.serviceEnvironment());
        environment.putAll(KafkaNodes.clientEnvironment(client));
        String providerUrl = System.getenv(ServiceName.PAYMENT_PROVIDER_URL);
        if (providerUrl == null || providerUrl.isBlank()) {
            paymentProvider = PaymentProviderServer.start(Ports.preferred(PaymentProviderServer.DEFAULT_PORT));
            providerUrl = paymentProvider.url();
            Console.line("  Payments    " + providerUrl + "  (simulated provider; PUT /control switches latency,"
                    + " declines, errors, outage)");
        } else {
            Console.line("  Payments    " + providerUrl + "  (external)");
        }
        environment.put(ServiceName.PAYMENT_PROVIDER_URL, providerUrl);
        // Beside the broker's data, so that --fresh wipes both together.
        environment.put(
                "VIEW_STATE_DIR", settings.workDirectory().resolve("view-state").toString());

        Console.heading("Starting services");
        Map<ServiceName, Integer> ports = new EnumMap<>(ServiceName.class);
        for (ServiceName name : ServiceName.values()) {
            ports.put(name, portOf(name));
        }
        environment.putAll(ServiceName.urls(ports));
        for (ServiceName name : ServiceName.values()) {
            Map<String, String> own = new HashMap<>(environment);
            own.putAll(stack.clientEnvironment(name.displayName()));
            services.add(ServiceProcess.start(
                    name,
                    name.displayName(),
                    ports.get(name),
                    own,
                    logs,
                    stack.tokens(),
                    ServiceJvm.sharingClassDataOfItsLastRun(
                            name, settings.workDirectory().resolve("class-data"))));
        }
        for (ServiceProcess service : services) {
            service.awaitHealthy(Duration.ofSeconds(180));
            Console.line(String.format(
                    "  %-18s %s  (pid %d, log %s)",
                    service.name().displayName(), service.baseUrl(), service.pid(), service.log()));
        }
        Console.line(String.format(
                java.util.Locale.ROOT, "  all healthy %.1f s after the start", (System.nanoTime() - began) / 1e9));

        ServiceProcess orders = find(ServiceName.ORDER);
        ServiceProcess inventory = find(ServiceName.INVENTORY);
        ServiceProcess payments = find(ServiceName.PAYMENT);
        ServiceProcess shipping = find(ServiceName.SHIPPING);
        ServiceProcess views = find(ServiceName.ORDER_VIEW);
        if (demoOrders > 0) {
            new Demo(
                            orders.baseUrl(),
                            inventory.baseUrl(),
                            payments.baseUrl(),
                            shipping.baseUrl(),
                            views.baseUrl(),
                            stack.tokens())
                    .run(demoOrders);
        }
        if (exitAfterDemo) {
            return 0;
        }
        Console.heading(String.format(
                java.util.Locale.ROOT,
                "Orderflow is running (%.0f s after the start)",
                (System.nanoTime() - began) / 1e9));
        Console.line("  Dashboard:       " + find(ServiceName.DASHBOARD).baseUrl()
                + "  (services, lag, orders and their sagas, dead letters with replay)");
        Console.line("                   sign in as " + StackRealm.OPS + ", the operator: the password is in "
                + stack.authServer().realmFile());
        if (stack.isSecure()) {
            Console.line("  orderflow dlq, schemas, views against it:  export " + DevStack.CLIENT_CONFIG + "='"
                    + stack.clientEnvironment("orderflow").get(DevStack.CLIENT_CONFIG) + "'");
        }
        Console.line("  APIs (OpenAPI 3.1, Swagger UI; Authorize with a token from below; events: AsyncAPI 3):");
        for (ServiceProcess service : List.of(orders, inventory, payments, shipping, views)) {
            Console.line(String.format(
                    "    %-18s %s/swagger-ui.html   (documents: /v3/api-docs, /asyncapi.json)",
                    service.name().displayName(), service.baseUrl()));
        }
        Console.line("  Event catalogue: " + find(ServiceName.DASHBOARD).baseUrl()
                + "/catalogue.html  (topics, events, schema versions, who writes and reads each)");
        Console.line("  Tokens:          ./orderflow token --customer alice   (bob, carol, dave, erin too)");
        Console.line("                   ./orderflow token --ops   (an operator: listings, prices, views, metrics)");
        Console.line("  As alice:        A=\"Authorization: Bearer $(./orderflow token --customer alice)\"");
        Console.line("  Place an order:");
        Console.line("    curl -si " + orders.baseUrl() + "/orders -H \"$A\" -H 'Content-Type: application/json' \\");
        Console.line("      -H 'Idempotency-Key: my-first-order' \\");
        Console.line("      -d '{\"customerId\":\"alice\",\"currency\":\"EUR\",\"items\":[{\"productId\":\"KB-001\","
                + "\"quantity\":1,\"unitPrice\":89.90}]}'");
        Console.line("  Follow it:       curl -s -H \"$A\" " + orders.baseUrl() + "/orders/<id>");
        Console.line("  Cancel it:       curl -si -X POST -H \"$A\" " + orders.baseUrl() + "/orders/<id>/cancel");
        Console.line("  Stock, prices:   curl -s -H \"$A\" " + inventory.baseUrl() + "/stock");
        Console.line("  Its payment:     curl -s -H \"$A\" " + payments.baseUrl() + "/payments/<id>");
        Console.line("  Its shipment:    curl -s -H \"$A\" " + shipping.baseUrl() + "/shipments/<id>");
        Console.line("  Its read view:   curl -s -H \"$A\" '" + views.baseUrl() + "/views/orders/<id>?minVersion=1'");
        Console.line("  Her orders:      curl -s -H \"$A\" " + views.baseUrl() + "/views/customers/alice/orders");
        Console.line("  As an operator:  O=\"Authorization: Bearer $(./orderflow token --ops)\"");
        Console.line(
                "  Parked orders:   curl -s -H \"$O\" '" + orders.baseUrl() + "/orders?status=COMPENSATION_FAILED'");
        Console.line("  Change a price:  curl -si -X PUT -H \"$O\" " + inventory.baseUrl() + "/stock/KB-001/prices "
                + "-H 'Content-Type: application/json' -d '{\"EUR\": 94.90, \"USD\": 99.00}'");
        Console.line("  Revenue, top:    curl -s -H \"$O\" " + views.baseUrl() + "/views/revenue ; curl -s -H \"$O\" "
                + views.baseUrl() + "/views/products/top");
        Console.line("  Press Ctrl-C to stop everything cleanly.");
        stopped.await();
        return 0;
    }

    private ServiceProcess find(ServiceName name) {
        return services.stream().filter(s -> s.name() == name).findFirst().orElseThrow();
    }

    private static int portOf(ServiceName name) {
        String configured = System.getenv(name.portVariable());
        if (configured != null && !configured.isBlank()) {
            return Integer.parseInt(configured.trim());
        }
        return Ports.preferred(name.defaultPort());
    }

    private static String describe(boolean embedded, Path data) {
        return embedded ? "  (embedded, data in " + data + ")" : "  (external)";
    }

    private void stopAll() {
        if (!services.isEmpty()) {
            Console.line("");
            Console.line("Stopping services (each finishes its batch, commits, flushes its outbox) ...");
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            ServiceProcess service = services.get(i);
            try {
                boolean clean = service.stop(Duration.ofSeconds(45));
                Console.line("  " + service.name().displayName() + (clean ? " stopped" : " had to be killed"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (paymentProvider != null) {
            paymentProvider.close();
        }
        if (stack != null) {
            stack.close();
            Console.line("  Auth server, schema registry, Kafka and PostgreSQL stopped; data kept for the next start"
                    + " (--fresh wipes it).");
        }
    }
}
