package io.orderflow.app;

import io.orderflow.app.bench.ConsumerBench;
import io.orderflow.app.bench.OutboxBench;
import io.orderflow.app.bench.SerdeBench;
import picocli.CommandLine.Command;

/** Benchmarks that print figures; see the subcommands. */
@Command(name = "bench",
        description = "Measure the outbox relay, the consumer runtime and the serde on the real stack.",
        subcommands = {OutboxBench.class, ConsumerBench.class, SerdeBench.class})
final class BenchCommand {
}
