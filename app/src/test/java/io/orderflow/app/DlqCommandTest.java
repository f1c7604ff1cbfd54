package io.orderflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code orderflow dlq} against the real broker: bad input is one clear line and exit code 1. */
class DlqCommandTest {

    private final StringWriter err = new StringWriter();

    @Test
    void aMalformedIdIsRefusedBeforeAnythingIsRead() {
        assertThat(run("dlq", "replay", "orders.events:zero:1")).isEqualTo(1);
        assertThat(err.toString()).contains("error: 'orders.events' in 'orders.events:zero:1' is not a dead-letter"
                + " topic");
    }

    @Test
    void anUnknownTopicAnUnknownIdOrAnUnknownStatusIsNamedInTheError() {
        assertThat(run("dlq", "list", "--topic", "no.such.topic", "--bootstrap-servers", bootstrap())).isEqualTo(1);
        assertThat(err.toString()).contains("error: there is no dead-letter topic no.such.topic.dlq");

        assertThat(run("dlq", "list", "--status", "done", "--bootstrap-servers", bootstrap())).isEqualTo(1);
        assertThat(err.toString()).contains("unknown dead-letter status 'done'");

        assertThat(run("dlq", "show", "no.such.topic.dlq:0:7", "--bootstrap-servers", bootstrap())).isEqualTo(1);
        assertThat(err.toString()).contains("there is no dead-letter topic no.such.topic.dlq");
    }

    @Test
    void aReplayNeedsIdsAFilterOrAll() {
        assertThat(run("dlq", "replay", "--bootstrap-servers", bootstrap())).isEqualTo(1);
        assertThat(err.toString()).contains("name the dead letters to replay");
        assertThat(run("dlq", "replay", "a.dlq:0:1", "--reason", "x", "--bootstrap-servers", bootstrap()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("give ids or a filter, not both");
    }

    private int run(String... args) {
        CommandLine commandLine = Orderflow.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static String bootstrap() {
        return TestStack.get().bootstrapServers();
    }
}
