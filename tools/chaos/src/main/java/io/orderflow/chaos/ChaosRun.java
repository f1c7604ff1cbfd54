package io.orderflow.chaos;

import io.orderflow.bench.BenchReport;
import io.orderflow.bench.SagaOutcomes;
import io.orderflow.devstack.ServiceName;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A whole chaos run: the stack up, load and faults together, then rest, the truth read and the invariants checked.
 */
public final class ChaosRun {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    // Orders the event store holds without their final event; outbox rows not yet sent, in every service.
    private static final String UNSETTLED = """
            SELECT (SELECT count(DISTINCT order_id) FROM orders.order_events e
                    WHERE NOT EXISTS (SELECT 1 FROM orders.order_events f WHERE f.order_id = e.order_id
                                      AND f.event_type IN ('Confirmed', 'Rejected', 'Cancelled', 'CompensationFailed'))),
                   (SELECT count(*) FROM orders.outbox) + (SELECT count(*) FROM inventory.outbox)
                   + (SELECT count(*) FROM payments.outbox) + (SELECT count(*) FROM shipping.outbox)""";

    /** What a run found. */
    public record Result(Invariants.Verdict verdict, List<InjectedFault> faults, List<String> problems, int orders) {

        public boolean passed() {
            return verdict.holds() && problems.isEmpty();
        }
    }

    private final ChaosSettings settings;
    private final MachineCpu cpu = new MachineCpu();
    private volatile FaultInjector activeInjector;
    private long startNanos;

    public ChaosRun(ChaosSettings settings) {
        this.settings = settings;
    }

    private long clockMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public Result run() throws Exception {
        List<PlannedFault> plan = FaultPlan.of(settings);
        BenchReport.title(String.format(
                Locale.ROOT,
                "Chaos run, seed %d: %d s of load at %.0f orders/s, %d Kafka nodes, two instances of every service",
                settings.seed(),
                settings.load().toSeconds(),
                settings.ratePerSecond(),
                settings.brokers()));
        Map<FaultKind, Long> planned = new EnumMap<>(FaultKind.class);
        plan.forEach(fault -> planned.merge(fault.kind(), 1L, Long::sum));
        planned.forEach((kind, count) -> BenchReport.line(kind.label(), count + " planned"));
        BenchReport.line(
                "read side commits",
                "every " + ChaosStack.VIEW_COMMIT_INTERVAL + " (default 100 ms; docs/reliability.md)");
        BenchReport.line("replay this run", "./orderflow chaos --seed " + settings.seed());
        Path logs = settings.reportDirectory().resolve("logs");
        silenceTheDatabaseLibrarysCrashNoise();
        long started = System.nanoTime();
        ChaosStack stack = ChaosStack.start(settings, logs);
        // Ctrl-C (the launcher's SIGTERM) must not leave ten services, three brokers and PostgreSQL behind.
        Thread cleanup = new Thread(
                () -> {
                    // The faults first: a kill's worker must not start a service once the stack is being stopped.
                    FaultInjector injector = activeInjector;
                    if (injector != null) {
                        injector.close();
                    }
                    stack.close();
                },
                "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            BenchReport.line(
                    "stack and 10 service instances",
                    String.format(Locale.ROOT, "up in %.0f s (logs in %s)", (System.nanoTime() - started) / 1e9, logs));
            return run(stack, plan);
        } finally {
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /**
     * A run crashes PostgreSQL on purpose; the library's own stop then finds no server and logs a stack trace at ERROR
     * each time. A real failure to start it again still surfaces, as the exception of the fault.
     */
    private static void silenceTheDatabaseLibrarysCrashNoise() {
        if (org.slf4j.LoggerFactory.getLogger("io.zonky.test.db.postgres.embedded.EmbeddedPostgres")
                instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    private Result run(ChaosStack stack, List<PlannedFault> plan) throws Exception {
        Map<String, Integer> initialStock;
        try (Connection db = stack.connect();
                Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE inventory.stock SET available = 1000000 WHERE available > 0 AND product_id <> '"
                    + ChaosLoad.SCARCE_PRODUCT + "'");
            sql.executeUpdate("UPDATE inventory.stock SET available = " + ChaosLoad.SCARCE_STOCK
                    + " WHERE product_id = '" + ChaosLoad.SCARCE_PRODUCT + "'");
            initialStock = TruthReader.stockUnits(db);
        }
        Instant runStart = Instant.now();
        startNanos = System.nanoTime();
        ChaosLoad load = new ChaosLoad(
                stack.urlsOf(ServiceName.ORDER), stack.tokens()::storefront, settings.seed(), this::clockMs);
        stack.tokens().storefront();
        stack.tokens().operator();
        List<ChaosReport.Second> seconds = new ArrayList<>();
        Map<String, Long> settledMs = new HashMap<>();
        try (SagaOutcomes outcomes = new SagaOutcomes(stack.kafkaConfig(), "orders.events", 100);
                FaultInjector injector = new FaultInjector(stack, this::clockMs)) {
            activeInjector = injector;
            BenchReport.title("Load and faults");
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger lastSent = new AtomicInteger();
            AtomicInteger lastSettled = new AtomicInteger();
            progress.scheduleAtFixedRate(
                    () -> sample(load, outcomes, injector, seconds, lastSent, lastSettled), 1, 1, TimeUnit.SECONDS);
            List<String> runProblems = new ArrayList<>();
            try {
                injector.start(plan);
                load.run(settings.ratePerSecond(), settings.load());
                System.out.println("  load over; waiting for every fault to heal");
                injector.awaitHealed(Duration.ofMinutes(15).toMillis());
                System.out.println("  every fault healed; waiting for every order to end and every outbox to drain");
                awaitRest(stack, outcomes, load);
            } catch (RuntimeException | SQLException e) {
                // Whatever the truth says now is still worth reading and reporting.
                runProblems.add("the run was cut short: " + e);
            } finally {
                progress.shutdownNow();
            }
            for (ChaosLoad.Placed order : load.placed().values()) {
                SagaOutcomes.Outcome outcome = outcomes.outcomeOf(order.orderId());
                if (outcome != null) {
                    settledMs.put(order.orderId(), (outcome.seenNanos() - startNanos) / 1_000_000);
                }
            }
            List<InjectedFault> faults = injector.injected();
            List<ChaosReport.Recovery> recoveries = ChaosReport.recoveries(faults, load.placed(), settledMs);
            printLoad(load);
            ChaosReport.printFaults(faults, recoveries);
            BenchReport.title("Reading the truth: tables, the provider's books, topics, the read side");
            long reading = System.nanoTime();
            Truth truth;
            try (Connection db = stack.connect()) {
                truth = new TruthReader(
                                db,
                                stack.provider(),
                                stack.kafkaConfig(),
                                stack.urlsOf(ServiceName.ORDER_VIEW).get(0),
                                stack.tokens()::operator)
                        .read(initialStock, load.placed().keySet(), runStart, windows(faults, runStart));
            }
            BenchReport.line(
                    "read",
                    String.format(
                            Locale.ROOT,
                            "%,d orders, %,d charges, %d dead letters in %.0f s",
                            truth.orders().size(),
                            truth.charges().size(),
                            truth.deadLetters().size(),
                            (System.nanoTime() - reading) / 1e9));
            printOutcomes(truth);
            Invariants.Verdict verdict = Invariants.check(truth);
            ChaosReport.printVerdict(verdict, faults, truth.orders(), runStart.toEpochMilli());
            List<String> problems = injector.problems();
            if (!problems.isEmpty()) {
                BenchReport.title("Problems in injecting or healing faults");
                problems.forEach(problem -> System.out.println("  " + problem));
            }
            if (!load.refusals().isEmpty()) {
                BenchReport.title("Requests refused (" + load.refusals().size() + ")");
                load.refusals().stream().limit(10).forEach(refusal -> System.out.println("  " + refusal));
            }
            List<String> allProblems = new ArrayList<>(problems);
            allProblems.addAll(runProblems);
            load.refusals().forEach(refusal -> allProblems.add("refused: " + refusal));
            Path json = settings.reportDirectory().resolve("chaos-" + settings.seed() + ".json");
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("settings", settings.toString());
            report.put("readSideCommitInterval", ChaosStack.VIEW_COMMIT_INTERVAL);
            report.put("seed", settings.seed());
            report.put("plan", plan);
            report.put("faults", faults);
            report.put("recoveries", recoveries);
            report.put("seconds", seconds);
            report.put("ordersSent", load.sent());
            report.put("ordersAccepted", load.placedCount());
            report.put("requestsRetried", load.retried());
            report.put("cancelAnswers", load.cancelAnswers());
            report.put("checked", verdict.checked());
            report.put("violations", verdict.violations());
            report.put("problems", allProblems);
            ChaosReport.writeJson(json, report);
            Path plot = settings.reportDirectory().resolve("chaos-" + settings.seed() + ".html");
            synchronized (seconds) {
                ChaosPlot.write(plot, settings.seed(), seconds, faults);
            }
            Result result =
                    new Result(verdict, faults, allProblems, truth.orders().size());
            BenchReport.title(
                    result.passed()
                            ? "PASSED: " + verdict.checked().size() + " invariants held over "
                                    + truth.orders().size() + " orders and " + faults.size() + " faults"
                            : "FAILED: " + verdict.violations().size() + " violations, " + allProblems.size()
                                    + " problems");
            BenchReport.line("the whole run", json.toString());
            BenchReport.line("throughput and faults over time", plot.toString());
            return result;
        }
    }

    private static List<Truth.FaultWindow> windows(List<InjectedFault> faults, Instant runStart) {
        return faults.stream()
                .map(fault -> new Truth.FaultWindow(
                        runStart.plusMillis(fault.startMs()),
                        runStart.plusMillis(fault.healed() ? fault.healedMs() : Long.MAX_VALUE / 2)))
                .toList();
    }

    private void sample(
            ChaosLoad load,
            SagaOutcomes outcomes,
            FaultInjector injector,
            List<ChaosReport.Second> seconds,
            AtomicInteger lastSent,
            AtomicInteger lastSettled) {
        long second = clockMs() / 1000;
        int sent = load.sent();
        int settled = (int) outcomes.settledCount();
        List<String> active = new ArrayList<>();
        for (FaultKind kind : FaultKind.values()) {
            int count = injector.activeNow(kind);
            if (count > 0) {
                active.add(count + " " + kind.label());
            }
        }
        synchronized (seconds) {
            seconds.add(new ChaosReport.Second(
                    second,
                    sent - lastSent.getAndSet(sent),
                    settled - lastSettled.getAndSet(settled),
                    cpu.busyPercent(),
                    active));
        }
        if (second % PROGRESS_EVERY.toSeconds() == 0) {
            Map<FaultKind, Long> done = injector.injected().stream()
                    .collect(Collectors.groupingBy(
                            InjectedFault::kind, () -> new EnumMap<>(FaultKind.class), Collectors.counting()));
            List<ChaosReport.Second> recent;
            synchronized (seconds) {
                recent = List.copyOf(seconds.subList(Math.max(0, seconds.size() - 10), seconds.size()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "  +%4d s  placed %,6d  settled %,6d  (%4.1f/s)  CPU %3d %%  done: %s%s%n",
                    second,
                    load.placedCount(),
                    settled,
                    recent.stream().mapToInt(ChaosReport.Second::settled).sum() / 10.0,
                    (int) recent.stream()
                            .mapToInt(ChaosReport.Second::cpuPercent)
                            .average()
                            .orElse(0),
                    ChaosReport.briefly(done),
                    active.isEmpty() ? "" : "  now: " + String.join(", ", active));
        }
    }

    /** Waits until every order has ended and every outbox is empty, or the settling time is over. */
    private void awaitRest(ChaosStack stack, SagaOutcomes outcomes, ChaosLoad load)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + settings.settleWithin().toNanos();
        long unsettled = -1;
        long outbox = -1;
        while (System.nanoTime() < deadline) {
            try (Connection db = stack.connect();
                    Statement sql = db.createStatement();
                    ResultSet row = sql.executeQuery(UNSETTLED)) {
                row.next();
                unsettled = row.getLong(1);
                outbox = row.getLong(2);
            }
            if (unsettled == 0
                    && outbox == 0
                    && outcomes.settledAmong(load.placed().keySet()) == load.placedCount()) {
                BenchReport.line(
                        "at rest", String.format(Locale.ROOT, "after %.0f s of load and settling", clockMs() / 1000.0));
                return;
            }
            Thread.sleep(2_000);
        }
        BenchReport.line(
                "NOT at rest",
                unsettled + " orders in flight, " + outbox + " outbox rows left after "
                        + settings.settleWithin().toSeconds() + " s");
    }

    private static void printLoad(ChaosLoad load) {
        BenchReport.title("Load");
        BenchReport.line("orders sent", String.format(Locale.ROOT, "%,d", load.sent()));
        BenchReport.line("accepted (201/200)", String.format(Locale.ROOT, "%,d", load.placedCount()));
        BenchReport.line("given up after 2 minutes of retries", String.valueOf(load.givenUp()));
        BenchReport.line("requests sent again (no answer, 5xx)", String.format(Locale.ROOT, "%,d", load.retried()));
        BenchReport.line("customers' cancels, by answer", load.cancelAnswers().toString());
    }

    private static void printOutcomes(Truth truth) {
        Map<String, Long> statuses = truth.orders().values().stream()
                .collect(Collectors.groupingBy(
                        order -> order.finalStatus().orElse("IN FLIGHT"),
                        java.util.TreeMap::new,
                        Collectors.counting()));
        BenchReport.line("orders by final state", statuses.toString());
        List<Long> toEnd = truth.orders().values().stream()
                .filter(order -> !order.finalEvents().isEmpty())
                .map(order -> Duration.between(
                                order.placedAt(), order.finalEvents().get(0).occurredAt())
                        .toMillis())
                .sorted()
                .toList();
        if (!toEnd.isEmpty()) {
            BenchReport.line(
                    "time from placed to final state",
                    String.format(
                            Locale.ROOT,
                            "p50 %.1f s   p99 %.1f s   max %.1f s",
                            ChaosReport.percentile(toEnd, 50) / 1000.0,
                            ChaosReport.percentile(toEnd, 99) / 1000.0,
                            toEnd.get(toEnd.size() - 1) / 1000.0));
        }
    }
}
