package io.orderflow.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code orderflow dlq} against the real broker: bad input is one clear line and exit code 1. */
class DlqCommandIT {

    private final StringWriter err = new StringWriter();

    @Test
    void aMalformedIdIsRefusedBeforeAnythingIsRead() {
        assertThat(run("dlq", "replay", "orders.events:zero:1")).isEqualTo(1);
        assertThat(err.toString())
                .contains("error: 'orders.events' in 'orders.events:zero:1' is not a dead-letter" + " topic");
    }

    @Test
    void anUnknownTopicAnUnknownIdOrAnUnknownStatusIsNamedInTheError() {
        assertThat(run("dlq", "list", "--topic", "no.such.topic", "--bootstrap-servers", bootstrap()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("error: there is no dead-letter topic no.such.topic.dlq");

        assertThat(run("dlq", "list", "--status", "done", "--bootstrap-servers", bootstrap()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("unknown dead-letter status 'done'");

        assertThat(run("dlq", "show", "no.such.topic.dlq:0:7", "--bootstrap-servers", bootstrap()))
                .isEqualTo(1);
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

    @Test
    void aListingShowsOnePageAndWhereTheNextOneStarts() throws Exception {
        // given three dead letters on one partition
        String deadLetters = "test.dlq-cli-" + UUID.randomUUID().toString().substring(0, 8) + ".dlq";
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap()));
                RawKafka records = new RawKafka(bootstrap())) {
            kafka.createTopics(List.of(new NewTopic(deadLetters, 1, (short) 1)))
                    .all()
                    .get();
            for (String key : List.of("order-1", "order-2", "order-3")) {
                ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetters, key, new byte[0]);
                letter.headers().add(DeadLetterHeaders.REASON, "IllegalStateException: boom".getBytes(UTF_8));
                records.send(letter);
            }
        }

        // when listing two at a time
        String first = printed("dlq", "list", "--topic", deadLetters, "--limit", "2");
        String second = printed("dlq", "list", "--topic", deadLetters, "--limit", "2", "--after", deadLetters + ":0:1");

        // then
        assertThat(first)
                .contains("2 dead letter(s) on this page", deadLetters + ":0:0", deadLetters + ":0:1")
                .doesNotContain(deadLetters + ":0:2")
                .contains("more: the same with --after " + deadLetters + ":0:1");
        assertThat(second).contains("1 dead letter(s)", deadLetters + ":0:2").doesNotContain("more:");
        assertThat(run("dlq", "list", "--limit", "0", "--bootstrap-servers", bootstrap()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("a page holds 1 to 1000 dead letters, not 0");
    }

    /** What a command printed; it must succeed. */
    private String printed(String... args) {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            List<String> withBroker = new ArrayList<>(List.of(args));
            withBroker.addAll(List.of("--bootstrap-servers", bootstrap()));
            assertThat(run(withBroker.toArray(String[]::new))).as(err::toString).isZero();
        } finally {
            System.setOut(console);
        }
        return out.toString(UTF_8);
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
