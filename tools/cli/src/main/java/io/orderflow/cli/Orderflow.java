package io.orderflow.cli;

import io.orderflow.bench.BenchCommand;
import io.orderflow.chaos.ChaosCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code orderflow} command line. */
@Command(
        name = "orderflow",
        mixinStandardHelpOptions = true,
        version = "orderflow 0.1.0",
        description = "Event-driven order fulfilment on Apache Kafka: run it, try it, measure it.",
        subcommands = {
            UpCommand.class,
            ServiceCommand.class,
            StackCommand.class,
            SchemasCommand.class,
            BenchCommand.class,
            ChaosCommand.class,
            ViewsCommand.class,
            DlqCommand.class,
            TokenCommand.class
        })
public final class Orderflow {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with a failure of a command shown as one line ({@code error: ...}) and exit code 1. */
    static CommandLine commandLine() {
        return new CommandLine(new Orderflow()).setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + ex.getMessage()));
            return 1;
        });
    }
}
