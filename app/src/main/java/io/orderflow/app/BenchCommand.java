package io.orderflow.app;

import io.orderflow.app.bench.ConsumerBench;
import io.orderflow.app.bench.OutboxBench;
import picocli.CommandLine.Command;

/** Benchmarks that print figures; see the subcommands. */
@Command(name = "bench", description = "Measure the outbox relay and the consumer runtime on the real stack.",
        subcommands = {OutboxBench.class, ConsumerBench.class})
final class BenchCommand {
}
