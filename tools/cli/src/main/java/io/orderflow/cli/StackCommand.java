package io.orderflow.cli;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.StackSettings;
import io.orderflow.eventing.clientconfig.ClientConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts only the infrastructure, for running services from an IDE. */
@Command(
        name = "stack",
        description = "Start only the embedded Kafka broker, PostgreSQL, schema registry and auth server, and wait.")
final class StackCommand implements Callable<Integer> {

    @Mixin
    KafkaNodes brokers;

    @Option(names = "--fresh", description = "Wipe the work directory first.")
    boolean fresh;

    @Override
    public Integer call() throws InterruptedException {
        StackSettings settings = brokers.settings();
        ClientConfig client = ClientConfig.fromEnvironment();
        if (fresh) {
            DevStack.wipe(settings.workDirectory());
        }
        DevStack stack = brokers.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.close();
                            stopped.countDown();
                        },
                        "stack-shutdown"));
        KafkaNodes.printClientConfigurations(stack);
        Console.line("Infrastructure is up. To run a service against it:");
        Map<String, String> environment = new LinkedHashMap<>(stack.serviceEnvironment());
        environment.putAll(KafkaNodes.clientEnvironment(client));
        environment.forEach((key, value) -> Console.line("  export " + key + "='" + value + "'"));
        // A secret stays in its owner-only file rather than on the screen and in the terminal's history.
        Console.line("  for the dashboard also " + StackSettings.DASHBOARD_CLIENT_SECRET + ": the secret of client "
                + "dashboard in " + stack.authServer().realmFile());
        if (stack.isSecure()) {
            Console.line("  export " + DevStack.CLIENT_CONFIG + "='<the service's client configuration, above>'");
            Console.line("and for orderflow dlq, schemas and views against it:");
            Console.line("  export " + DevStack.CLIENT_CONFIG + "='"
                    + stack.clientEnvironment("orderflow").get(DevStack.CLIENT_CONFIG) + "'");
        }
        Console.line("Tokens for its users and clients:  ./orderflow token --customer alice  (--ops, --storefront,"
                + " --user NAME)");
        Console.line("Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
