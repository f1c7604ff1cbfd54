package io.orderflow.dashboard.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.dashboard.RunningDashboard;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestHttp;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/dlq} of the running dashboard against the real broker, called as a script does: listings come in pages. */
class DeadLetterControllerIT extends RunningDashboard {

    private final String deadLetters =
            "test.dlq-api-" + UUID.randomUUID().toString().substring(0, 8) + ".dlq";
    private TestHttp api;

    @BeforeEach
    void threeDeadLetters() throws Exception {
        String bootstrap = stack().bootstrapServers();
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap));
                RawKafka records = new RawKafka(bootstrap)) {
            kafka.createTopics(List.of(new NewTopic(deadLetters, 1, (short) 1)))
                    .all()
                    .get();
            for (String key : List.of("order-1", "order-2", "order-3")) {
                ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetters, key, new byte[0]);
                letter.headers().add(DeadLetterHeaders.REASON, "IllegalStateException: boom".getBytes(UTF_8));
                records.send(letter);
            }
        }
        api = new TestHttp(dashboard());
    }

    @Test
    void aListingIsAPageThatSaysWhereTheNextOneStarts() {
        JsonNode first = ok(get("/api/dlq?topic=" + deadLetters + "&limit=2"));
        assertThat(first.path("count").asInt()).isEqualTo(2);
        assertThat(first.path("deadLetters")
                        .valueStream()
                        .map(letter -> letter.path("id").asString()))
                .containsExactly(deadLetters + ":0:0", deadLetters + ":0:1");
        assertThat(first.path("next").asString()).isEqualTo(deadLetters + ":0:1");

        JsonNode second = ok(get("/api/dlq?topic=" + deadLetters + "&limit=2&after=" + deadLetters + ":0:1"));
        assertThat(second.path("deadLetters")
                        .valueStream()
                        .map(letter -> letter.path("id").asString()))
                .containsExactly(deadLetters + ":0:2");
        assertThat(second.path("next").isNull() || second.path("next").isMissingNode())
                .isTrue();

        HttpResponse<String> tooMany = get("/api/dlq?limit=100000");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(tooMany).path("detail").asString())
                .isEqualTo("a page holds 1 to 1000 dead letters, not 100000");
    }

    /** With an operator's access token, as scripts call the dashboard. */
    private HttpResponse<String> get(String path) {
        return api.send(api.request(path)
                .header("Authorization", "Bearer " + tokens().operator())
                .GET());
    }

    private static JsonNode ok(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return TestHttp.json(answer);
    }
}
