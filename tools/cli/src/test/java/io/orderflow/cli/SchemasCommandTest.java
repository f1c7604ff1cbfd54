package io.orderflow.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `orderflow schemas check` finds the contracts where the project keeps them, as the launcher runs it. */
class SchemasCommandTest {

    /** The tests run in tools/cli; the launcher runs from the project's root, two levels up. */
    private static final Path PROJECT_ROOT = Path.of("../..");

    @Test
    void checksEveryContractAgainstItsReleasedVersionsFromTheProjectRoot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            exit = Orderflow.commandLine().execute("schemas", "check", "--root", PROJECT_ROOT.toString());
        } finally {
            System.setOut(console);
        }
        assertThat(exit).as(out.toString(UTF_8)).isZero();
        assertThat(out.toString(UTF_8)).contains("OrderPlaced").doesNotContain("does not exist");
    }

    @Test
    void saysWhereItLookedWhenRunElsewhere() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            exit = Orderflow.commandLine().execute("schemas", "check", "--root", "src");
        } finally {
            System.setOut(console);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(UTF_8))
                .contains("Run this from the project root")
                .contains(
                        Path.of("platform", "contracts", "src", "main", "avro").toString());
    }
}
