package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One embedded stack per test JVM, started on first use on free ports in a temporary directory and stopped when
 * the JVM exits. Test classes share it instead of starting brokers of their own.
 */
public final class TestStack {

    private static DevStack stack;

    private TestStack() {}

    public static synchronized DevStack get() {
        if (stack == null) {
            try {
                var directory = Files.createTempDirectory("orderflow-test-");
                stack = DevStack.start(StackSettings.forTests(directory), "384m");
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    stack.close();
                                    DevStack.wipe(directory);
                                },
                                "test-stack-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }
}
