package io.orderflow.chaos;

import io.orderflow.bench.BenchStack;
import io.orderflow.devstack.EmbeddedDatabase;
import io.orderflow.devstack.KafkaBroker;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.ServiceJvm;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.Tokens;
import io.orderflow.provider.PaymentProviderServer;
import io.orderflow.provider.ProviderSwitches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a chaos run runs and breaks: a fresh stack (a Kafka cluster, PostgreSQL, the registry, the authorization
 * server), the simulated payment provider, and two instances of every service of the saga and of the read side.
 */
final class ChaosStack implements AutoCloseable {

    /** What the provider does when no fault is on: declines a few payments, as real ones do. */
    static final ProviderSwitches PROVIDER_BASELINE = new ProviderSwitches(0, 0.05, 0, 0, false);

    private final BenchStack stack;
    private final PaymentProviderServer provider;
    private final List<Instance> instances;
    private boolean closed;

    private ChaosStack(BenchStack stack, PaymentProviderServer provider, List<Instance> instances) {
        this.stack = stack;
        this.provider = provider;
        this.instances = instances;
    }

    /**
     * Kafka Streams commits every 100 ms under exactly-once, each commit a transaction across the three nodes: with two
     * instances that alone took the brokers to about 110 % of a core at 5 orders/s, and the machine to 99 %; at 1 s,
     * 47 %. A crash then aborts and redoes up to a second of the read side's work instead of a tenth: no less to
     * prove, and room for the restarts.
     */
    static final String VIEW_COMMIT_INTERVAL = "1s";

    static ChaosStack start(ChaosSettings settings, Path logs) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        BenchStack stack = BenchStack.start(settings.brokers(), settings.secure());
        PaymentProviderServer provider = null;
        List<Instance> instances = new ArrayList<>();
        try {
            provider = PaymentProviderServer.start(0);
            provider.behave(PROVIDER_BASELINE);
            Tokens tokens = stack.tokens();
            Map<ServiceName, ServiceJvm> jvms = settings.classDataArchives()
                    ? quickStarting(stack, provider, logs.resolve("class-data"))
                    : standard();
            for (ServiceName service : FaultPlan.SERVICES) {
                for (int number = 1; number <= FaultPlan.INSTANCES; number++) {
                    String name = FaultPlan.instance(service, number);
                    Map<String, String> environment = environment(stack, provider, service);
                    // Each instance's sessions are named in pg_stat_activity, to kill it inside a transaction.
                    String url = environment.get("DATABASE_URL");
                    environment.put("DATABASE_URL", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name);
                    environment.put(
                            "VIEW_STATE_DIR",
                            logs.resolve("view-state-" + number).toString());
                    instances.add(
                            new Instance(service, name, Ports.free(), environment, logs, tokens, jvms.get(service)));
                }
            }
            ChaosStack chaos = new ChaosStack(stack, provider, List.copyOf(instances));
            for (Instance instance : instances) {
                instance.launch();
            }
            for (Instance instance : instances) {
                instance.awaitHealthy();
            }
            return chaos;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stopAll(instances);
            if (provider != null) {
                provider.close();
            }
            stack.close();
            throw e;
        }
    }

    private static Map<String, String> environment(
            BenchStack stack, PaymentProviderServer provider, ServiceName service) {
        Map<String, String> environment = new HashMap<>(stack.serviceEnvironment());
        environment.putAll(stack.clientEnvironment(service));
        environment.put(ServiceName.PAYMENT_PROVIDER_URL, provider.url());
        if (service == ServiceName.ORDER_VIEW) {
            environment.put("VIEW_COMMIT_INTERVAL", VIEW_COMMIT_INTERVAL);
        }
        return environment;
    }

    /**
     * A run restarts services by the hundred on a machine whose cores also carry the load and the faults: each service
     * starts with a class-data archive made for it first, about half the CPU of a usual start. Two are made at a
     * time.
     */
    private static Map<ServiceName, ServiceJvm> quickStarting(
            BenchStack stack, PaymentProviderServer provider, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Map<ServiceName, java.util.concurrent.Future<ServiceJvm>> training = new java.util.EnumMap<>(ServiceName.class);
        java.util.concurrent.ExecutorService trainers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (ServiceName service : FaultPlan.SERVICES) {
                training.put(
                        service,
                        trainers.submit(() ->
                                ServiceJvm.quickStarting(service, directory, environment(stack, provider, service))));
            }
            Map<ServiceName, ServiceJvm> jvms = new java.util.EnumMap<>(ServiceName.class);
            for (Map.Entry<ServiceName, java.util.concurrent.Future<ServiceJvm>> service : training.entrySet()) {
                try {
                    jvms.put(service.getKey(), service.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(
                            "cannot prepare " + service.getKey().displayName(), e.getCause());
                }
            }
            return jvms;
        } finally {
            trainers.shutdownNow();
        }
    }

    private static Map<ServiceName, ServiceJvm> standard() {
        Map<ServiceName, ServiceJvm> jvms = new java.util.EnumMap<>(ServiceName.class);
        FaultPlan.SERVICES.forEach(service -> jvms.put(service, ServiceJvm.STANDARD));
        return jvms;
    }

    Instance instance(String name) {
        return instances.stream()
                .filter(instance -> instance.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no instance " + name));
    }

    List<String> urlsOf(ServiceName service) {
        return instances.stream()
                .filter(instance -> instance.service() == service)
                .map(Instance::baseUrl)
                .toList();
    }

    PaymentProviderServer provider() {
        return provider;
    }

    Tokens tokens() {
        return stack.tokens();
    }

    Map<String, Object> kafkaConfig() {
        return stack.kafkaConfig();
    }

    Connection connect() throws SQLException {
        return stack.connect();
    }

    List<KafkaBroker> brokers() {
        return stack.devStack().kafka().orElseThrow().nodes();
    }

    /** The node that leads the metadata quorum now: killing it makes the controllers elect another. */
    int activeController() throws InterruptedException {
        try (Admin admin = Admin.create(stack.kafkaConfig())) {
            return admin.describeMetadataQuorum()
                    .quorumInfo()
                    .get(30, TimeUnit.SECONDS)
                    .leaderId();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot tell the active controller", e);
        }
    }

    EmbeddedDatabase database() {
        return stack.devStack().database().orElseThrow(() -> new IllegalStateException("the database is external"));
    }

    void restartRegistry() {
        stack.devStack().restartSchemaRegistry();
    }

    /** Stops every instance, then the provider and the stack, each whatever happened to the one before; once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll(instances);
        try {
            provider.close();
        } finally {
            stack.close();
        }
    }

    /**
     * Stops the instances all at once (one by one, ten that each wait for a broker down at the time take minutes), and
     * waits for every one of them even when interrupted: the stack must not go before its services.
     */
    private static void stopAll(List<Instance> instances) {
        List<Thread> stopping = new ArrayList<>();
        for (Instance instance : instances) {
            Thread thread = new Thread(() -> stop(instance), "stop-" + instance.name());
            thread.start();
            stopping.add(thread);
        }
        boolean interrupted = false;
        for (Thread thread : stopping) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Instance instance) {
        try {
            instance.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("stopping " + instance.name() + " failed: " + e);
        }
    }
}
