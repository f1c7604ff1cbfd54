package io.orderflow.app;

import picocli.CommandLine.Command;

/** Benchmarks that print figures; see the subcommands. */
@Command(name = "bench", description = "Measure the outbox relay and the consumer runtime on the real stack.",
        subcommands = {})
final class BenchCommand {
}
