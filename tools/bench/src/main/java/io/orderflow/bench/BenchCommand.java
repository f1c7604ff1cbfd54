package io.orderflow.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Without a subcommand: the saga under load, end to end. The subcommands measure one part each. */
@Command(
        name = "bench",
        description = {
            "Place orders over HTTP through the four services on a fresh embedded stack and print "
                    + "throughput, end-to-end latency, CPU per order against its floor, consistency checks and memory.",
            "The subcommands measure the outbox relay, the consumer runtime and the serde alone."
        },
        subcommands = {OutboxBench.class, ConsumerBench.class, SerdeBench.class, ViewsBench.class})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    Options options;

    @Override
    public Integer call() throws Exception {
        return new SagaBench(options).run();
    }

    /** The saga benchmark's settings. */
    static final class Options {
        @Option(
                names = "--brokers",
                defaultValue = "1",
                description = "Kafka nodes of the fresh stack (default ${DEFAULT-VALUE}); with 3, every topic has three"
                        + " replicas and a write needs two, as in production.")
        int brokers;

        @Option(
                names = "--secure",
                description = "Secure the fresh stack's Kafka (SASL_SSL, SCRAM-SHA-512 over TLS, ACLs per principal)"
                        + " and its registry (HTTPS, a user per principal), as ./orderflow up --secure does.")
        boolean secure;

        @Option(
                names = "--orders",
                defaultValue = "20000",
                description = "Orders of the max-rate phase (default ${DEFAULT-VALUE}).")
        int orders;

        @Option(
                names = "--rate",
                defaultValue = "max",
                converter = RateConverter.class,
                description = "Orders per second of that phase, or max (default ${DEFAULT-VALUE}).")
        double rate;

        @Option(
                names = "--concurrency",
                defaultValue = "64",
                description = "HTTP clients placing orders (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(
                names = "--max-in-flight",
                defaultValue = "2000",
                description = "Most orders placed but not settled at once (default ${DEFAULT-VALUE}).")
        long maxInFlight;

        @Option(
                names = "--latency-orders",
                defaultValue = "5000",
                description = "Orders of the half-rate phase (default ${DEFAULT-VALUE}).")
        int latencyOrders;

        @Option(
                names = "--warmup",
                defaultValue = "1000",
                description = "Orders of each warm-up round, not measured (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(
                names = "--decline-rate",
                defaultValue = "0.01",
                description = "Share of payments the provider declines (default ${DEFAULT-VALUE}).")
        double declineRate;

        @Option(
                names = "--copier-records",
                defaultValue = "200000",
                description = "Records of the floor's Kafka measurement (default ${DEFAULT-VALUE}).")
        int copierRecords;

        @Option(
                names = "--warmup-rounds",
                defaultValue = "10",
                description = "At most so many rounds of --warmup orders, until the JIT compilers take less than a"
                        + " tenth of the CPU (default ${DEFAULT-VALUE}).")
        int warmupRounds;

        @Option(
                names = "--floor-requests",
                defaultValue = "20000",
                description = "Empty HTTP requests of the floor's measurement (default ${DEFAULT-VALUE}).")
        int floorRequests;

        @Option(
                names = "--floor-transactions",
                defaultValue = "20000",
                description = "Hop-shaped database transactions of the floor's measurement (default ${DEFAULT-VALUE}).")
        int floorTransactions;

        @Option(
                names = "--dashboard",
                description = "Also run the dashboard (port 8080 if free), to watch the"
                        + " bench; it costs a little CPU, so the figures of runs with and without it differ slightly.")
        boolean dashboard;
    }

    /** "max" or a positive number of orders per second. */
    static final class RateConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if (value.equalsIgnoreCase("max")) {
                return 0.0;
            }
            double rate = Double.parseDouble(value);
            if (rate <= 0) {
                throw new picocli.CommandLine.TypeConversionException(
                        "--rate is max or a positive number, not " + value);
            }
            return rate;
        }
    }
}
