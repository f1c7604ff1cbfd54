package io.orderflow.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.devstack.ServiceName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What one order cannot cost less than: the CPU of its unavoidable ingredients, each measured alone on the bench's
 * own stack (the stack's idle spending left out), then added up the way the saga uses them. The saga's cost per order
 * divided by this floor says how much of its cost is the design's own, and in which process.
 *
 * <p>The ingredients: an authenticated HTTP request the service answers without doing anything; a database
 * transaction of a hop's shape (an inbox row, a state change and an outbox row, committed; then the relay's read and
 * delete of the outbox row); a Kafka record written by an idempotent producer, and read and written again by a
 * transactional read-process-write copier.
 */
final class CostFloor {

    /** Database transactions per order, by the process whose JDBC client runs them. */
    private static final Map<ServiceName, Integer> TRANSACTIONS =
            Map.of(ServiceName.ORDER, 4, ServiceName.INVENTORY, 1, ServiceName.PAYMENT, 1, ServiceName.SHIPPING, 1);
    /** Events each process writes per order (through its outbox relay). */
    private static final Map<ServiceName, Integer> WRITES =
            Map.of(ServiceName.ORDER, 2, ServiceName.INVENTORY, 1, ServiceName.PAYMENT, 1, ServiceName.SHIPPING, 1);
    /** Events each process reads and acts on per order. */
    private static final Map<ServiceName, Integer> READS = Map.of(
            ServiceName.ORDER,
            3,
            ServiceName.INVENTORY,
            1,
            ServiceName.PAYMENT,
            1,
            ServiceName.SHIPPING,
            1,
            ServiceName.ORDER_VIEW,
            5);

    /** CPU milliseconds of each ingredient, split by where they are spent. */
    record Ingredients(
            double httpServer,
            double transactionClient,
            double transactionServer,
            double writeClient,
            double writeBroker,
            double readClient,
            double readBroker) {

        /** The floor of one order in each process, by the counts of ingredients the saga gives each. */
        Map<String, Double> perOrder() {
            Map<String, Double> floor = new LinkedHashMap<>();
            for (ServiceName service : List.of(
                    ServiceName.ORDER,
                    ServiceName.INVENTORY,
                    ServiceName.PAYMENT,
                    ServiceName.SHIPPING,
                    ServiceName.ORDER_VIEW)) {
                floor.put(
                        service.displayName(),
                        (service == ServiceName.ORDER ? httpServer : 0)
                                + TRANSACTIONS.getOrDefault(service, 0) * transactionClient
                                + WRITES.getOrDefault(service, 0) * writeClient
                                + READS.getOrDefault(service, 0) * readClient);
            }
            int transactions =
                    TRANSACTIONS.values().stream().mapToInt(Integer::intValue).sum();
            int writes = WRITES.values().stream().mapToInt(Integer::intValue).sum();
            int reads = READS.values().stream().mapToInt(Integer::intValue).sum();
            floor.put(StackUsage.POSTGRES, transactions * transactionServer);
            floor.put(StackUsage.BROKER, writes * writeBroker + reads * readBroker);
            return floor;
        }

        double total() {
            return perOrder().values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final BenchStack stack;
    private final CpuMeter cpu;
    private final int brokers;
    private double copierRecordsPerSecond;

    CostFloor(BenchStack stack, CpuMeter cpu, int brokers) {
        this.stack = stack;
        this.cpu = cpu;
        this.brokers = brokers;
    }

    /** Measures the ingredients on the stack, which must have nothing else to do meanwhile, and prints them. */
    Ingredients measure(String ordersUrl, Supplier<String> token, int requests, int transactions, int records)
            throws Exception {
        BenchReport.title("The floor: what one order's ingredients cost, each measured alone on this stack");
        // Created long before they are written: a producer that writes a partition in its first milliseconds can see
        // its first batch refused while later ones land (OutOfOrderSequence).
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = List.of("in-" + run, "out-" + run, "in-warm-up-" + run, "out-warm-up-" + run).stream()
                .map(name -> "bench.floor." + name)
                .toList();
        createTopics(topics.toArray(String[]::new));
        // What the saga left to do in the background (dirty pages, dead rows) would otherwise count as idling.
        try (Connection db = stack.connect();
                java.sql.Statement sql = db.createStatement()) {
            sql.execute("CHECKPOINT");
            sql.execute("VACUUM");
        }
        cpu.measureIdle(10);
        BenchReport.line(
                "the stack doing nothing",
                String.format(
                        Locale.ROOT,
                        "%.0f ms of CPU per second: left out of each figure below",
                        cpu.idleMillisPerSecond()));
        BenchReport.line("  of which", cpu.describeIdle());
        double http = http(ordersUrl, token, requests);
        BenchReport.line(
                "HTTP request, nothing done",
                String.format(
                        Locale.ROOT,
                        "%.3f ms in order-service  (%,d × OPTIONS /orders with a token: checked, then refused)",
                        http,
                        requests));
        double[] transaction = transactions(transactions);
        BenchReport.line(
                "one event's transaction + relay's delete",
                String.format(
                        Locale.ROOT,
                        "%.3f ms in the client + %.3f ms in PostgreSQL  (%,d × inbox row, state row, outbox row)",
                        transaction[0],
                        transaction[1],
                        transactions));
        double[] kafka = kafka(topics, records);
        BenchReport.line(
                "Kafka write (idempotent, acks=all, lz4)",
                String.format(Locale.ROOT, "%.3f ms in the client + %.3f ms in the broker", kafka[0], kafka[1]));
        BenchReport.line(
                "Kafka read, in a transaction",
                String.format(
                        Locale.ROOT,
                        "%.3f ms in the client + %.3f ms in the broker  (%,d records of 256 B copied"
                                + " exactly-once)",
                        kafka[2],
                        kafka[3],
                        records));
        Ingredients ingredients =
                new Ingredients(http, transaction[0], transaction[1], kafka[0], kafka[1], kafka[2], kafka[3]);
        BenchReport.line(
                "one order: 1 request, 7 transactions,",
                String.format(Locale.ROOT, "%.2f ms of CPU", ingredients.total()));
        BenchReport.line("  5 events written, 11 read", "");
        return ingredients;
    }

    private double http(String ordersUrl, Supplier<String> token, int requests) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(ordersUrl + "/orders"))
                .header("Authorization", "Bearer " + token.get())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        // A warm-up, so that the figure is the steady cost and not the first calls' class loading.
        send(client, request, requests / 5);
        CpuMeter.Reading before = cpu.read();
        send(client, request, requests);
        return before.until(cpu.read()).workMillis(ServiceName.ORDER.displayName()) / requests;
    }

    private static void send(HttpClient client, HttpRequest request, int requests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        onThreads(16, () -> {
            while (next.getAndIncrement() < requests) {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 403) {
                    throw new IllegalStateException("the floor's empty request was answered " + status + ", not 403");
                }
            }
            return null;
        });
    }

    /** Runs {@code worker} on {@code threads} threads at once and waits for them all; a worker's failure is thrown. */
    private static void onThreads(int threads, Callable<Void> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(worker));
            }
            for (Future<Void> each : done) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(stack.kafkaConfig())) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                // As the saga's topics: on several nodes, replicated, two in sync for a write.
                topics.add(new NewTopic(name, 6, (short) Math.min(brokers, 3))
                        .configs(brokers > 1 ? Map.of("min.insync.replicas", "2") : Map.of()));
            }
            admin.createTopics(topics).all().get();
            // and wait until every partition has its leader
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (admin.describeTopics(List.of(names)).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .anyMatch(p -> p.leader() == null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the floor's topics have no leader after 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** The copier's records per second in the floor's Kafka measurement. */
    double copierRecordsPerSecond() {
        return copierRecordsPerSecond;
    }

    /** @return the client's and PostgreSQL's CPU milliseconds per transaction, the relay's share included */
    private double[] transactions(int count) throws Exception {
        int writers = 4;
        HikariDataSource db = stack.freshSchema(
                "bench_floor",
                writers,
                "CREATE TABLE floor_state (id BIGINT PRIMARY KEY, version INT NOT NULL, status TEXT NOT NULL)",
                "INSERT INTO floor_state SELECT g, 0, 'PLACED' FROM generate_series(0, " + (count + count / 5)
                        + ") AS g");
        runTransactions(db, writers, 0, count / 5);
        relay(db);
        CpuMeter.Reading before = cpu.read();
        runTransactions(db, writers, count / 5, count);
        relay(db);
        CpuMeter.Usage used = before.until(cpu.read());
        return new double[] {used.workMillis(StackUsage.BENCH_JVM) / count, used.workMillis(StackUsage.POSTGRES) / count
        };
    }

    private static void runTransactions(HikariDataSource db, int writers, int first, int count) throws Exception {
        byte[] payload = new byte[256];
        ThreadLocalRandom.current().nextBytes(payload);
        AtomicInteger next = new AtomicInteger();
        onThreads(writers, () -> {
            try (Connection connection = db.getConnection();
                    PreparedStatement inbox = connection.prepareStatement(
                            "INSERT INTO processed_events (consumer, event_id) VALUES ('bench-floor', ?)");
                    PreparedStatement state = connection.prepareStatement(
                            "UPDATE floor_state SET version = version + 1, status = 'RESERVED' WHERE id = ?");
                    PreparedStatement outbox = connection.prepareStatement("""
                            INSERT INTO outbox (topic, aggregate_id, event_id, event_type, correlation_id,
                                                causation_id, occurred_at, producer, traceparent, payload)
                            VALUES ('bench.floor', ?, ?, 'StockReserved', ?, ?, ?, 'bench', '', ?)""")) {
                connection.setAutoCommit(false);
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String order = String.valueOf(first + i);
                    UUID cause = UUID.randomUUID();
                    inbox.setObject(1, cause);
                    inbox.executeUpdate();
                    state.setLong(1, first + i);
                    state.executeUpdate();
                    outbox.setString(1, order);
                    outbox.setObject(2, UUID.randomUUID());
                    outbox.setString(3, order);
                    outbox.setObject(4, cause);
                    outbox.setTimestamp(5, Timestamp.from(Instant.now()));
                    outbox.setBytes(6, payload);
                    outbox.executeUpdate();
                    connection.commit();
                }
            }
            return null;
        });
    }

    /** Reads and deletes the outbox's rows as the relay does once the broker has them: in batches, in order. */
    private static void relay(HikariDataSource db) throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement claim = connection.prepareStatement(
                        "SELECT id, aggregate_id, event_id, payload FROM outbox ORDER BY id LIMIT 100"
                                + " FOR UPDATE SKIP LOCKED");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            connection.setAutoCommit(false);
            while (true) {
                List<Long> ids = new ArrayList<>();
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        rows.getBytes(4);
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return;
                }
                Array array = connection.createArrayOf("int8", ids.toArray());
                delete.setArray(1, array);
                delete.executeUpdate();
                connection.commit();
            }
        }
    }

    /** @return per record: the write's client and broker CPU milliseconds, then the transactional read's */
    private double[] kafka(List<String> topics, int records) throws Exception {
        String input = topics.get(0);
        String output = topics.get(1);
        TransactionalCopier copier = new TransactionalCopier(stack.kafkaConfig());
        // A warm-up of both sides on topics of their own.
        String warmIn = topics.get(2);
        String warmOut = topics.get(3);
        copier.fill(warmIn, records / 5, 256);
        copier.copy(warmIn, warmOut, records / 5);
        CpuMeter.Reading beforeWrite = cpu.read();
        copier.fill(input, records, 256);
        CpuMeter.Reading beforeRead = cpu.read();
        copierRecordsPerSecond = copier.copy(input, output, records);
        CpuMeter.Usage write = beforeWrite.until(beforeRead);
        CpuMeter.Usage copy = beforeRead.until(cpu.read());
        double writeClient = write.workMillis(StackUsage.BENCH_JVM) / records;
        double writeBroker = write.workMillis(StackUsage.BROKER) / records;
        // A copied record is read, then written again in a transaction: the read is what is left of it.
        return new double[] {
            writeClient,
            writeBroker,
            Math.max(0, copy.workMillis(StackUsage.BENCH_JVM) / records - writeClient),
            Math.max(0, copy.workMillis(StackUsage.BROKER) / records - writeBroker)
        };
    }
}
