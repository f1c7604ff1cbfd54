package io.orderflow.cli;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.StackSettings;
import picocli.CommandLine.Option;

/** {@code --brokers}: how many Kafka nodes the embedded stack runs, for the commands that start one. */
final class KafkaNodes {

    @Option(
            names = "--brokers",
            defaultValue = "1",
            description = "Kafka nodes (default ${DEFAULT-VALUE}). With 3, a replicated KRaft cluster: every topic on"
                    + " each node, two needed for a write; its stack lives in brokers-3/ of the work directory.")
    int count;

    /** The stack's settings from the environment, with these nodes. */
    StackSettings settings() {
        return StackSettings.fromEnvironment(System.getenv()).withBrokers(count);
    }

    /** Starts the stack; three nodes get smaller heaps each, as the one broker's would add up to too much. */
    DevStack start(StackSettings settings) {
        return DevStack.start(settings, count > 1 ? "384m" : "512m");
    }
}
