package io.orderflow.chaos;

import io.orderflow.devstack.EmbeddedDatabase;
import io.orderflow.devstack.KafkaBroker;
import io.orderflow.devstack.ServiceName;
import io.orderflow.provider.ProviderSwitches;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/** Carries out a fault schedule on a chaos stack, each fault at its moment, and records what it did. */
final class FaultInjector implements AutoCloseable {

    // A statement of the instance's that shows it inside a transaction whose commit has not happened yet.
    private static final String IN_TRANSACTION = """
            SELECT pid, query FROM pg_stat_activity
            WHERE application_name = ?
              AND (state = 'idle in transaction'
                   OR (state = 'active' AND (query LIKE 'DELETE FROM outbox%' OR query LIKE '%processed_events%')))
            LIMIT 1""";

    private static final String SESSION_STATE = "SELECT state FROM pg_stat_activity WHERE pid = ?";

    private final ChaosStack stack;
    private final LongSupplier clockMs;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("chaos-schedule"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("chaos-fault"));
    private final List<InjectedFault> injected = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<FaultKind, AtomicInteger> active = new EnumMap<>(FaultKind.class);
    private final Map<ServiceName, ReentrantLock> serviceLocks = new EnumMap<>(ServiceName.class);
    private final ReentrantLock brokerLock = new ReentrantLock();
    private final ReentrantLock databaseLock = new ReentrantLock();
    private final ReentrantLock providerLock = new ReentrantLock();
    private final ReentrantLock registryLock = new ReentrantLock();
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicInteger killsInTransaction = new AtomicInteger();

    FaultInjector(ChaosStack stack, LongSupplier clockMs) {
        this.stack = stack;
        this.clockMs = clockMs;
        for (FaultKind kind : FaultKind.values()) {
            active.put(kind, new AtomicInteger());
        }
        for (ServiceName service : FaultPlan.SERVICES) {
            serviceLocks.put(service, new ReentrantLock());
        }
    }

    /** Schedules every fault of the plan relative to now, which the clock calls 0. */
    void start(List<PlannedFault> plan) {
        long now = clockMs.getAsLong();
        for (PlannedFault fault : plan) {
            scheduler.schedule(
                    () -> {
                        synchronized (running) {
                            running.add(workers.submit(() -> inject(fault)));
                        }
                    },
                    Math.max(0, fault.at().toMillis() - now),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Waits for every fault to be over and everything it broke to be back. */
    void awaitHealed(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        scheduler.shutdown();
        if (!scheduler.awaitTermination(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            problem("the fault schedule did not end within " + timeoutMs / 1000 + " s");
            return;
        }
        List<Future<?>> all;
        synchronized (running) {
            all = List.copyOf(running);
        }
        for (Future<?> fault : all) {
            try {
                fault.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                problem("a fault failed: " + e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                problem("a fault did not heal within " + timeoutMs / 1000 + " s of the end of the load");
                return;
            }
        }
    }

    synchronized List<InjectedFault> injected() {
        return List.copyOf(injected);
    }

    /** Whatever went wrong in injecting or healing: an instance that did not come back, a restart that failed. */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Faults of this kind in effect now. */
    int activeNow(FaultKind kind) {
        return active.get(kind).get();
    }

    private void inject(PlannedFault fault) {
        try {
            switch (fault.kind()) {
                case SERVICE_KILL, SERVICE_KILL_IN_TRANSACTION -> killService(fault);
                case SERVICE_PAUSE -> pauseService(fault);
                // One broker, the database, the provider, the registry: each broken by one fault at a time.
                case BROKER_KILL -> exclusively(brokerLock, () -> killBroker(fault));
                case DATABASE_CRASH, DATABASE_RESTART -> exclusively(databaseLock, () -> restartDatabase(fault));
                case PROVIDER_OUTAGE, PROVIDER_SLOW, PROVIDER_ERRORS ->
                    exclusively(providerLock, () -> providerFault(fault));
                case REGISTRY_RESTART -> exclusively(registryLock, () -> restartRegistry(fault));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem(fault.kind().label() + " on " + fault.target() + " failed: " + e);
        }
    }

    /**
     * The planned instance, once no other fault acts on its service: one instance of a service is down at a time, as
     * redundancy is meant to be used, and a kill waits for its sibling to be back. (With both down, orders only wait;
     * on two cores the restarts then pile up and the run measures the machine, not the system.)
     */
    private Instance lockService(String planned) throws InterruptedException {
        Instance instance = stack.instance(planned);
        serviceLocks.get(instance.service()).lockInterruptibly();
        return instance;
    }

    private void unlockService(Instance instance) {
        serviceLocks.get(instance.service()).unlock();
    }

    private void killService(PlannedFault fault) throws InterruptedException {
        Instance instance = lockService(fault.target());
        try {
            String detail;
            if (fault.kind() == FaultKind.SERVICE_KILL_IN_TRANSACTION) {
                detail = awaitTransaction(instance);
            } else {
                detail = "pid " + instance.pid();
            }
            breakAndHeal(fault, instance.name(), detail, instance::kill, () -> restart(instance));
        } finally {
            unlockService(instance);
        }
    }

    /**
     * Starts a killed instance again, and again if it does not come up (three starts in all); a problem of the run
     * only if none of them does.
     */
    private void restart(Instance instance) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                instance.launch();
                instance.awaitHealthy();
                return;
            } catch (java.io.IOException | RuntimeException e) {
                failures.add("start " + attempt + ": " + e.getMessage());
                if (instance.isAlive()) {
                    instance.kill();
                }
            }
        }
        throw new IllegalStateException(instance.name() + " did not come back: " + String.join("; ", failures));
    }

    /**
     * Watches the instance's sessions until one is inside a transaction (between a consumer's inbox rows and their
     * commit, or a relay's send and the delete of what it sent) and says which. Every other time it goes on watching
     * that session until its transaction is over, to kill just after a commit instead of just before one. Gives up
     * after 15 s and kills anyway.
     */
    private String awaitTransaction(Instance instance) {
        boolean afterCommit = killsInTransaction.getAndIncrement() % 2 == 1;
        long deadline = System.currentTimeMillis() + 15_000;
        try (Connection db = stack.connect();
                PreparedStatement statement = db.prepareStatement(IN_TRANSACTION);
                PreparedStatement session = db.prepareStatement(SESSION_STATE)) {
            statement.setString(1, instance.name());
            while (System.currentTimeMillis() < deadline) {
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        pause();
                        continue;
                    }
                    String query = row.getString(2).strip().replaceAll("\\s+", " ");
                    String where = query.startsWith("DELETE FROM outbox")
                            ? "relay: sent and acknowledged, delete"
                            : query.contains("processed_events")
                                    ? "consumer: inbox rows written, batch"
                                    : query.startsWith("WITH claimed")
                                            ? "relay: rows claimed, sending; delete"
                                            : "transaction after " + query.substring(0, Math.min(40, query.length()));
                    if (!afterCommit) {
                        return "pid " + instance.pid() + ", " + where + " not committed";
                    }
                    session.setInt(1, row.getInt(1));
                    while (System.currentTimeMillis() < deadline) {
                        try (ResultSet state = session.executeQuery()) {
                            if (!state.next() || state.getString(1).equals("idle")) {
                                return "pid " + instance.pid() + ", " + where + " just committed";
                            }
                        }
                        pause();
                    }
                }
            }
            return "pid " + instance.pid() + ", no transaction seen within 15 s";
        } catch (SQLException e) {
            return "pid " + instance.pid() + ", the database could not be watched: " + e.getMessage();
        }
    }

    private interface Step {
        void run() throws InterruptedException;
    }

    /**
     * Breaks a component, leaves it broken for the fault's hold, and heals it: in effect meanwhile, and recorded,
     * unhealed when healing failed.
     */
    private void breakAndHeal(PlannedFault fault, String target, String detail, Step breakIt, Step heal)
            throws InterruptedException {
        long start = clockMs.getAsLong();
        active.get(fault.kind()).incrementAndGet();
        long healed = -1;
        try {
            breakIt.run();
            Thread.sleep(fault.hold().toMillis());
            heal.run();
            healed = clockMs.getAsLong();
        } finally {
            active.get(fault.kind()).decrementAndGet();
            record(fault.kind(), target, detail, start, healed);
        }
    }

    /** Between two looks at pg_stat_activity: often enough to catch a transaction, without taking a core. */
    private static void pause() {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the run is stopping", e);
        }
    }

    private void pauseService(PlannedFault fault) throws InterruptedException {
        Instance instance = lockService(fault.target());
        try {
            long start = clockMs.getAsLong();
            active.get(fault.kind()).incrementAndGet();
            try {
                instance.pause();
                Thread.sleep(fault.hold().toMillis());
            } finally {
                instance.resume();
                active.get(fault.kind()).decrementAndGet();
            }
            record(
                    fault.kind(),
                    instance.name(),
                    "pid " + instance.pid() + " stopped for " + fault.hold().toSeconds() + " s",
                    start,
                    clockMs.getAsLong());
        } finally {
            unlockService(instance);
        }
    }

    private static void exclusively(ReentrantLock lock, Step step) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            step.run();
        } finally {
            lock.unlock();
        }
    }

    private void killBroker(PlannedFault fault) throws InterruptedException {
        List<KafkaBroker> nodes = stack.brokers();
        KafkaBroker node;
        String detail;
        if (fault.target().equals("controller")) {
            int leader = stack.activeController();
            node = nodes.stream()
                    .filter(candidate -> candidate.nodeId() == leader)
                    .findFirst()
                    .orElseThrow();
            detail = "the active controller, node " + leader;
        } else {
            node = nodes.get(Integer.parseInt(fault.target().substring("node-".length())));
            detail = "node " + node.nodeId();
        }
        breakAndHeal(
                fault,
                "node-" + node.nodeId(),
                detail + ", down " + fault.hold().toSeconds() + " s",
                node::kill,
                node::restart);
    }

    private void restartDatabase(PlannedFault fault) throws InterruptedException {
        EmbeddedDatabase database = stack.database();
        boolean crash = fault.kind() == FaultKind.DATABASE_CRASH;
        breakAndHeal(
                fault,
                "postgresql",
                (crash ? "immediate shutdown" : "fast shutdown") + ", down "
                        + fault.hold().toSeconds() + " s",
                () -> database.stopServer(crash ? EmbeddedDatabase.Shutdown.CRASH : EmbeddedDatabase.Shutdown.CLEAN),
                () -> startDatabase(database));
    }

    /** The database must come back, or nothing else can: started again until it does, for up to three tries. */
    private void startDatabase(EmbeddedDatabase database) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                database.startServer();
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private void providerFault(PlannedFault fault) throws InterruptedException {
        ProviderSwitches base = ChaosStack.PROVIDER_BASELINE;
        ProviderSwitches faulty;
        String detail;
        switch (fault.kind()) {
            case PROVIDER_OUTAGE -> {
                faulty = new ProviderSwitches(0, base.declineRate(), 0, 0, true);
                detail = "every request answered 503";
            }
            case PROVIDER_SLOW -> {
                faulty = new ProviderSwitches(3_000, base.declineRate(), 0, 0, false);
                detail = "every answer 3 s late";
            }
            default -> {
                faulty = new ProviderSwitches(0, base.declineRate(), 0.5, 0, false);
                detail = "half the requests answered 500";
            }
        }
        long start = clockMs.getAsLong();
        active.get(fault.kind()).incrementAndGet();
        try {
            stack.provider().behave(faulty);
            Thread.sleep(fault.hold().toMillis());
        } finally {
            stack.provider().behave(base);
            active.get(fault.kind()).decrementAndGet();
        }
        record(
                fault.kind(),
                "payment-provider",
                detail + " for " + fault.hold().toSeconds() + " s",
                start,
                clockMs.getAsLong());
    }

    private void restartRegistry(PlannedFault fault) {
        long start = clockMs.getAsLong();
        active.get(fault.kind()).incrementAndGet();
        try {
            stack.restartRegistry();
        } finally {
            active.get(fault.kind()).decrementAndGet();
        }
        record(fault.kind(), "schema-registry", "stopped and started again", start, clockMs.getAsLong());
    }

    private synchronized void record(FaultKind kind, String target, String detail, long start, long healed) {
        injected.add(new InjectedFault(kind, target, detail, start, healed));
    }

    private synchronized void problem(String what) {
        problems.add(what);
    }

    /** The services of a kind of instance, for the per-service counts of the report. */
    static ServiceName serviceOf(String instance) {
        for (ServiceName service : FaultPlan.SERVICES) {
            if (instance.startsWith(service.displayName() + "-")) {
                return service;
            }
        }
        throw new IllegalArgumentException("not an instance: " + instance);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops scheduling and interrupts the faults under way, waiting for them to let go (a restart may be starting). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
