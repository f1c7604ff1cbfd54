package io.orderflow.bench;

import io.orderflow.devstack.Ports;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.provider.PaymentProviderServer;
import io.orderflow.provider.ProviderSwitches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The saga under load, end to end: the four services as processes on a fresh embedded stack, orders placed over HTTP,
 * each order's clock stopped when its final event is read from orders.events. Then what each process spent per order
 * against the floor of its ingredients, the consistency of what happened, and the memory of the whole stack.
 */
final class SagaBench {

    /** Read-process-write steps of an order: inventory, payment, shipping, then order-service again. */
    static final int HOPS = 4;

    private final BenchCommand.Options options;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, OrderLoad.Placed> everything = new HashMap<>();
    private final AtomicReference<Map<String, Long>> peakMemory = new AtomicReference<>(Map.of());
    private final Map<Long, String> processNames = new HashMap<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private BenchStack stack;
    private PaymentProviderServer provider;

    SagaBench(BenchCommand.Options options) {
        this.options = options;
    }

    int run() throws Exception {
        BenchReport.title("Saga benchmark: " + options.orders + " orders, rate "
                + (options.rate <= 0 ? "max" : options.rate + "/s") + ", " + options.concurrency + " clients, at most "
                + options.maxInFlight
                + " unsettled, decline rate " + options.declineRate
                + (options.brokers > 1
                        ? ", " + options.brokers + " Kafka nodes (every topic " + options.brokers
                                + " replicas, 2 in sync)"
                        : "")
                + (options.secure ? ", SASL_SSL with ACLs and an HTTPS registry" : ", PLAINTEXT"));
        Path logs = Files.createTempDirectory("orderflow-bench-logs-");
        // Ctrl-C must not leave the broker, PostgreSQL and four service JVMs behind.
        Thread cleanup = new Thread(this::stopEverything, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            long stackStarting = System.nanoTime();
            stack = BenchStack.start(options.brokers, options.secure);
            double stackSeconds = (System.nanoTime() - stackStarting) / 1e9;
            provider = PaymentProviderServer.start(0);
            provider.behave(new ProviderSwitches(0, options.declineRate, 0, 0, false));
            Map<String, String> environment = new HashMap<>(stack.serviceEnvironment());
            environment.put(ServiceName.PAYMENT_PROVIDER_URL, provider.url());
            environment.put("VIEW_STATE_DIR", logs.resolve("view-state").toString());
            Map<ServiceName, Integer> ports = new EnumMap<>(ServiceName.class);
            for (ServiceName name : ServiceName.values()) {
                if (name != ServiceName.DASHBOARD || options.dashboard) {
                    ports.put(name, name == ServiceName.DASHBOARD ? Ports.preferred(name.defaultPort()) : Ports.free());
                }
            }
            environment.putAll(ServiceName.urls(ports));
            long servicesStarting = System.nanoTime();
            for (Map.Entry<ServiceName, Integer> service : ports.entrySet()) {
                Map<String, String> own = new HashMap<>(environment);
                own.putAll(stack.clientEnvironment(service.getKey()));
                services.add(ServiceProcess.start(service.getKey(), service.getValue(), own, logs, stack.tokens()));
            }
            Map<String, Long> startCpu = new LinkedHashMap<>();
            for (ServiceProcess service : services) {
                service.awaitHealthy(Duration.ofSeconds(240));
                processNames.put(service.pid(), service.name().displayName());
                startCpu.put(service.name().displayName(), StackUsage.cpuMillis(service.pid()));
            }
            double servicesSeconds = (System.nanoTime() - servicesStarting) / 1e9;
            processNames.put(stack.authServerPid(), "auth server");
            BenchReport.line("stack and services", "started (logs in " + logs + ")");
            BenchReport.line(
                    "start-up",
                    String.format(
                            Locale.ROOT,
                            "infrastructure %.1f s, then the services healthy in %.1f s, which took %s",
                            stackSeconds,
                            servicesSeconds,
                            startCpu.entrySet().stream()
                                            .map(cpu -> String.format(
                                                    Locale.ROOT, "%s %.1f", cpu.getKey(), cpu.getValue() / 1000.0))
                                            .collect(java.util.stream.Collectors.joining(", "))
                                    + " CPU-s"));
            services.stream()
                    .filter(service -> service.name() == ServiceName.DASHBOARD)
                    .findFirst()
                    .ifPresent(dashboard -> BenchReport.line("dashboard", dashboard.baseUrl()));
            String viewUrl = services.stream()
                    .filter(service -> service.name() == ServiceName.ORDER_VIEW)
                    .findFirst()
                    .orElseThrow()
                    .baseUrl();
            measure(stack, provider, services.get(0).baseUrl(), viewUrl, logs);
        } finally {
            stopEverything();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        return 0;
    }

    /**
     * What each process spent in a phase, in all and per settled order, against its floor; the system's total leaves
     * out the bench's own JVM (the clients, the registry and the simulated provider).
     */
    private static double printCpu(String phase, CpuMeter.Usage used, int orders, CostFloor.Ingredients floor) {
        int cores = Runtime.getRuntime().availableProcessors();
        BenchReport.title(String.format(
                Locale.ROOT,
                "CPU during the %s phase (%.1f s, %d cores, %,d orders)",
                phase,
                used.seconds(),
                cores,
                orders));
        Map<String, Double> floors = floor.perOrder();
        BenchReport.line("process", "  CPU s   of a core   ms/order  of it JIT   floor ms   ÷ floor");
        double system = 0;
        double systemJit = 0;
        for (Map.Entry<String, Long> kind : used.millisByKind().entrySet()) {
            double seconds = kind.getValue() / 1000.0;
            double perOrder = (double) kind.getValue() / orders;
            double jit = (double) used.jitMillis(kind.getKey()) / orders;
            Double own = floors.get(kind.getKey());
            boolean bench = kind.getKey().equals(StackUsage.BENCH_JVM);
            if (!bench) {
                system += perOrder;
                systemJit += jit;
            }
            BenchReport.line(
                    label(kind.getKey()),
                    String.format(
                            Locale.ROOT,
                            "%7.1f   %7.0f %%   %8.2f   %8.2f   %s",
                            seconds,
                            100 * seconds / used.seconds(),
                            perOrder,
                            jit,
                            own == null
                                    ? "       -         -"
                                    : String.format(Locale.ROOT, "%8.2f   %7.1f", own, perOrder / own)));
        }
        BenchReport.line(
                "the system",
                String.format(
                        Locale.ROOT,
                        "%7.1f   %7.0f %%   %8.2f   %8.2f   %8.2f   %7.1f",
                        system * orders / 1000,
                        100 * system * orders / 1000 / used.seconds(),
                        system,
                        systemJit,
                        floor.total(),
                        system / floor.total()));
        BenchReport.line(
                "all of them",
                String.format(
                        Locale.ROOT,
                        "%.0f %% of the machine",
                        100 * used.totalMillis() / 1000.0 / used.seconds() / cores));
        return system;
    }

    private synchronized void stopEverything() {
        for (ServiceProcess service : services) {
            try {
                service.stop(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.clear();
        if (provider != null) {
            provider.close();
            provider = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    private void measure(BenchStack stack, PaymentProviderServer provider, String ordersUrl, String viewUrl, Path logs)
            throws Exception {
        java.time.Instant started = java.time.Instant.now();
        Stock before;
        try (Connection db = stack.connect();
                Statement sql = db.createStatement()) {
            // Enough stock that no order of the run is short: rejections would only measure an empty shelf.
            sql.executeUpdate("UPDATE inventory.stock SET available = 10000000 WHERE available > 0");
            before = Stock.read(db);
        }
        OrderLoad load = new OrderLoad(ordersUrl, run, stack.tokens()::storefront);
        try (SagaOutcomes outcomes = new SagaOutcomes(stack.kafkaConfig(), "orders.events")) {
            ViewBench views = new ViewBench(viewUrl, stack);
            CpuMeter cpu = new CpuMeter(() -> processNames, stack.postgresDirectory());
            int warmed = warmUp(load, outcomes, cpu);

            // The phase's CPU window opens and closes on a read side that has caught up, so that it holds the view's
            // work for these orders and no other.
            views.awaitCaughtUp();
            CpuMeter.Reading maxStarted = cpu.read();
            Result max = phase("max rate", load, outcomes, warmed, options.orders, options.rate);
            views.awaitCaughtUp();
            CpuMeter.Usage maxUsage = maxStarted.until(cpu.read());
            Map<String, Long> memoryAtMax = peakMemory.get();
            double half = max.ordersPerSecond() / 2;
            ViewDiagnostics viewDiagnostics = views.diagnostics();
            Result paced;
            ViewBench.Freshness freshness;
            // The view falls behind while the max rate takes both cores; its freshness is measured from a caught-up
            // start, like the saga's latency.
            views.awaitCaughtUp();
            ViewDiagnostics.Pauses pausesBefore = viewDiagnostics.pauses();
            CpuMeter.Reading pacedStarted = cpu.read();
            try (ViewFreshness probe = views.startFreshness()) {
                paced = phase("half rate", load, outcomes, warmed + options.orders, options.latencyOrders, half);
                freshness = ViewBench.Freshness.of(probe);
            }
            views.awaitCaughtUp();
            CpuMeter.Usage pacedUsage = pacedStarted.until(cpu.read());
            String viewDuringPaced =
                    viewDiagnostics.describe(viewDiagnostics.pauses().since(pausesBefore));

            hops(stack, paced);

            // Last, on a stack that is warm (compiled, caches full) and has caught up: what its idling costs, and the
            // floor, which only a quiet stack shows.
            views.awaitCaughtUp();
            CostFloor floorMeasure = new CostFloor(stack, cpu, options.brokers);
            CostFloor.Ingredients floor = floorMeasure.measure(
                    ordersUrl,
                    stack.tokens()::storefront,
                    options.floorRequests,
                    options.floorTransactions,
                    options.copierRecords);
            double copier = floorMeasure.copierRecordsPerSecond();
            BenchReport.line(
                    "copier (one hop, 256 B, lz4, exactly-once)",
                    String.format(Locale.ROOT, "%,.0f records/s, for context", copier));
            double maxCost = printCpu("max-rate", maxUsage, max.orders().size(), floor);
            printCpu("half-rate", pacedUsage, paced.orders().size(), floor);

            BenchReport.title("Results");
            BenchReport.line(
                    "saga throughput (" + (options.rate <= 0 ? "max" : options.rate + "/s") + ")",
                    String.format(Locale.ROOT, "%,.0f orders/s", max.ordersPerSecond()));
            BenchReport.line("  end-to-end latency", BenchReport.millis(max.latency()));
            BenchReport.line(
                    String.format(Locale.ROOT, "at half that rate (%,.0f orders/s)", half),
                    String.format(Locale.ROOT, "%,.0f orders/s", paced.ordersPerSecond()));
            BenchReport.line("  end-to-end latency", BenchReport.millis(paced.latency()));
            BenchReport.line(
                    "CPU per settled order, max rate",
                    String.format(
                            Locale.ROOT,
                            "%.2f ms over the system, %.2f ms of it the JIT compilers'  (target ≤ 3.0 ms)",
                            maxCost,
                            maxCost * maxUsage.systemJitShare()));
            BenchReport.line(
                    "  ÷ the floor",
                    String.format(
                            Locale.ROOT,
                            "%.2f ÷ %.2f ms = %.1f  (target ≤ 3)",
                            maxCost,
                            floor.total(),
                            maxCost / floor.total()));
            BenchReport.line(
                    "p99 at half rate",
                    String.format(
                            Locale.ROOT,
                            "%.0f ms  (target ≤ 250 ms)",
                            paced.latency().getValueAtPercentile(99) / 1000.0));
            double ratio = max.ordersPerSecond() / (copier / HOPS);
            BenchReport.line("saga ÷ (copier ÷ hops)", String.format(Locale.ROOT, "%.3f, for context", ratio));

            freshness.print("read side at half rate");
            BenchReport.line("  order-view meanwhile", viewDuringPaced);

            BenchReport.title("Consistency");
            boolean consistent = checkConsistency(stack, provider, outcomes, before);
            BenchReport.title("Consistency of the read side with the write side");
            consistent &= views.checkConsistency(everything.values(), started);
            views.compareGuarantees();
            printPostgresLog(stack, logs);
            BenchReport.title("Memory of the whole stack (proportional resident set, peak while loaded)");
            long system = 0;
            for (var kind : memoryAtMax.entrySet()) {
                boolean bench = kind.getKey().equals(StackUsage.BENCH_JVM);
                BenchReport.line(label(kind.getKey()), mib(kind.getValue()));
                system += bench ? 0 : kind.getValue();
            }
            BenchReport.line("the system", mib(system) + "  (target ≤ 1,536 MiB)");
            if (!consistent) {
                throw new IllegalStateException("the run was not consistent; see above");
            }
        }
    }

    /**
     * Rounds of warm-up orders until the JIT compilers take less than a tenth of the system's CPU. For minutes after
     * a start the compilers of six JVMs take much of two cores; a phase measured before they have compiled the hot
     * code would count that one-off work as a cost per order.
     *
     * @return the orders placed
     */
    private int warmUp(OrderLoad load, SagaOutcomes outcomes, CpuMeter cpu) throws Exception {
        int placed = 0;
        for (int round = 1; round <= options.warmupRounds; round++) {
            CpuMeter.Reading before = cpu.read();
            phase("warm-up, round " + round, load, outcomes, placed, options.warmup, 0);
            placed += options.warmup;
            double jit = before.until(cpu.read()).systemJitShare();
            BenchReport.line(
                    "JIT compilers' share of the CPU",
                    String.format(Locale.ROOT, "%.0f %%%s", 100 * jit, jit < WARM ? ": warm" : ""));
            if (jit < WARM) {
                return placed;
            }
        }
        BenchReport.line(
                "not warm after " + options.warmupRounds + " rounds",
                "the JIT compilers' work goes on into the measured phases (their share is in the tables)");
        return placed;
    }

    /** The JIT compilers' share of the CPU below which the stack counts as warm. */
    private static final double WARM = 0.10;

    /**
     * Where an order's time goes at half rate, from the times the events of its history carry (each is when the
     * service that raised it did so): a hop is the time from one event to the next, relay and consumer included.
     */
    private void hops(BenchStack stack, Result paced) throws SQLException {
        List<String> steps = List.of("Placed", "StockReserved", "PaymentAuthorized", "ShipmentScheduled", "Confirmed");
        Map<String, Histogram> byHop = new LinkedHashMap<>();
        for (int i = 1; i < steps.size(); i++) {
            byHop.put(steps.get(i - 1) + " → " + steps.get(i), new Histogram(3_600_000_000L, 3));
        }
        try (Connection db = stack.connect();
                var query = db.prepareStatement(
                        "SELECT event_type, occurred_at FROM orders.order_events WHERE order_id = ?::uuid")) {
            for (OrderLoad.Placed order : paced.orders()) {
                query.setString(1, order.orderId());
                Map<String, java.time.Instant> at = new HashMap<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        at.put(row.getString(1), row.getTimestamp(2).toInstant());
                    }
                }
                if (!at.keySet().containsAll(steps)) {
                    continue;
                }
                for (int i = 1; i < steps.size(); i++) {
                    byHop.get(steps.get(i - 1) + " → " + steps.get(i))
                            .recordValue(Math.max(
                                    0,
                                    Duration.between(at.get(steps.get(i - 1)), at.get(steps.get(i)))
                                                    .toNanos()
                                            / 1000));
                }
            }
        }
        BenchReport.title("Where the time goes at half rate (between the events of each confirmed order)");
        byHop.forEach((hop, histogram) -> BenchReport.line(hop, BenchReport.millis(histogram)));
    }

    private Result phase(String label, OrderLoad load, SagaOutcomes outcomes, int first, int count, double rate)
            throws Exception {
        BenchReport.title("Phase: " + label);
        long acceptedBefore = load.accepted();
        long settledBefore = outcomes.settledCount();
        long started = System.nanoTime();
        Map<String, OrderLoad.Placed> placed;
        try (ProgressBar ignored = new ProgressBar(
                label,
                count,
                () -> load.accepted() - acceptedBefore,
                () -> outcomes.settledCount() - settledBefore,
                this::sampleMemory)) {
            long unsettledBefore = load.accepted() - outcomes.settledCount();
            placed = load.place(
                    first,
                    count,
                    options.concurrency,
                    rate,
                    () -> load.accepted() - outcomes.settledCount() - unsettledBefore,
                    options.maxInFlight);
            synchronized (everything) {
                everything.putAll(placed);
            }
            awaitSettled(outcomes, placed.keySet());
        }
        Histogram latency = new Histogram(3_600_000_000L, 3);
        long lastSeen = started;
        for (OrderLoad.Placed order : placed.values()) {
            SagaOutcomes.Outcome outcome = outcomes.outcomeOf(order.orderId());
            latency.recordValue(Math.max(0, (outcome.seenNanos() - order.startNanos()) / 1000));
            lastSeen = Math.max(lastSeen, outcome.seenNanos());
        }
        double perSecond = placed.size() / ((lastSeen - started) / 1e9);
        BenchReport.line(
                "settled",
                String.format(
                        Locale.ROOT,
                        "%,d orders in %.1f s: %,.0f orders/s (%d not placed)",
                        placed.size(),
                        (lastSeen - started) / 1e9,
                        perSecond,
                        count - placed.size()));
        BenchReport.line("end-to-end latency", BenchReport.millis(latency));
        return new Result(perSecond, latency, List.copyOf(placed.values()));
    }

    private void awaitSettled(SagaOutcomes outcomes, Set<String> orders) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long settled = -1;
        while (true) {
            long now = outcomes.settledAmong(orders);
            if (now == orders.size()) {
                return;
            }
            if (now != settled) {
                settled = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress
                    > Duration.ofSeconds(120).toNanos()) {
                throw new IllegalStateException((orders.size() - now) + " orders did not settle within 120 s of "
                        + "the last progress; see the service logs");
            }
            Thread.sleep(50);
        }
    }

    private boolean checkConsistency(
            BenchStack stack, PaymentProviderServer provider, SagaOutcomes outcomes, Stock before) throws SQLException {
        Map<String, Integer> byType = new LinkedHashMap<>();
        Map<String, String> finalEventByOrder = new HashMap<>();
        int notExactlyOnce = 0;
        long confirmedUnits = 0;
        for (OrderLoad.Placed order : everything.values()) {
            SagaOutcomes.Outcome outcome = outcomes.outcomeOf(order.orderId());
            byType.merge(outcome.type(), 1, Integer::sum);
            finalEventByOrder.put(order.orderId(), outcome.type());
            if (outcomes.finalEventsOf(order.orderId()) != 1) {
                notExactlyOnce++;
            }
            if (outcome.type().equals("OrderConfirmed")) {
                confirmedUnits += order.units();
            }
        }
        BenchReport.line("orders placed", String.format(Locale.ROOT, "%,d", everything.size()));
        byType.forEach((type, count) -> BenchReport.line("  " + type, String.format(Locale.ROOT, "%,d", count)));
        boolean ok = BenchReport.check(
                "every order in exactly one final state",
                notExactlyOnce == 0,
                notExactlyOnce + " orders with another number of final events");

        Stock after;
        try (Connection db = stack.connect()) {
            after = Stock.read(db);
            ok &= MoneyAndStockChecks.check(db, provider, finalEventByOrder);
        }
        ok &= BenchReport.check(
                "stock conserved (available + reserved unchanged)",
                after.total() == before.total(),
                before.total() + " before, " + after.total() + " after");
        ok &= BenchReport.check(
                "reserved stock = units of confirmed orders",
                after.reserved() - before.reserved() == confirmedUnits,
                (after.reserved() - before.reserved()) + " reserved, " + confirmedUnits + " confirmed units");

        Map<String, Object> stats = provider.stats();
        long authorized = ((Number) stats.get("authorized")).longValue();
        long refunds = ((Number) stats.get("refunds")).longValue();
        long confirmed = byType.getOrDefault("OrderConfirmed", 0);
        ok &= BenchReport.check(
                "authorizations = confirmed orders + refunds",
                authorized == confirmed + refunds,
                authorized + " authorizations, " + confirmed + " confirmed, " + refunds + " refunds");
        BenchReport.line("provider", stats.toString());
        return ok;
    }

    private static void printPostgresLog(BenchStack stack, Path logs) throws IOException {
        PostgresLog log = PostgresLog.of(stack.postgresDirectory());
        // The stack's directory goes with the stack; the services' logs stay, and this one with them.
        Path kept = log.copyTo(logs.resolve("postgresql"));
        BenchReport.title("PostgreSQL's log over the whole run (" + kept + ")");
        BenchReport.line("lock waits past 200 ms", String.format(Locale.ROOT, "%,d", log.lockWaits()));
        log.waitingStatements().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .forEach(waiting -> BenchReport.line("  " + waiting.getValue() + " ×", waiting.getKey()));
        BenchReport.line("deadlocks", String.format(Locale.ROOT, "%,d", log.deadlocks()));
        BenchReport.line("statements past 250 ms", String.format(Locale.ROOT, "%,d", log.slowStatements()));
        BenchReport.line("checkpoints", String.format(Locale.ROOT, "%,d", log.checkpoints()));
    }

    private void sampleMemory() {
        BenchStack current = stack;
        if (current == null) {
            return;
        }
        Map<String, Long> now = StackUsage.residentByKind(processNames, current.postgresDirectory());
        long total = now.values().stream().mapToLong(Long::longValue).sum();
        long peak =
                peakMemory.get().values().stream().mapToLong(Long::longValue).sum();
        if (total > peak) {
            peakMemory.set(now);
        }
    }

    /** A process's name in the tables, the bench's own JVM marked as left out of the system's total. */
    private static String label(String kind) {
        return kind.equals(StackUsage.BENCH_JVM) ? "bench JVM (not counted below)" : kind;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }

    private record Result(double ordersPerSecond, Histogram latency, List<OrderLoad.Placed> orders) {}

    /** Units of stock over every product: what must be conserved. */
    private record Stock(long available, long reserved) {
        long total() {
            return available + reserved;
        }

        static Stock read(Connection db) throws SQLException {
            try (Statement sql = db.createStatement();
                    ResultSet row = sql.executeQuery("SELECT sum(available), sum(reserved) FROM inventory.stock")) {
                row.next();
                return new Stock(row.getLong(1), row.getLong(2));
            }
        }
    }
}
