package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code orderflow token}: exactly one whose token, and one clear line when there is no stack to ask. */
class TokenCommandTest {

    private final StringWriter err = new StringWriter();

    @TempDir
    Path directory;

    @Test
    void wantsExactlyOneWhose() {
        assertThat(run("token")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required argument");

        assertThat(run("token", "--ops", "--customer", "alice")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void saysHowToStartAStackWhenNoneRuns() {
        assertThat(run("token", "--stack", directory.toString(), "--customer", "alice"))
                .isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("error: no stack is running in " + directory + " (start it with ./orderflow up)");
    }

    private int run(String... args) {
        CommandLine command = Orderflow.commandLine();
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
