package io.orderflow.dashboard.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterPayloads;
import io.orderflow.eventing.topic.TopicSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code /api/dlq} against the real broker: listings come in pages. */
class DeadLetterControllerIT {

    private final String bootstrap = TestStack.get().bootstrapServers();
    private final String deadLetters =
            "test.dlq-api-" + UUID.randomUUID().toString().substring(0, 8) + ".dlq";
    private DeadLetterAdmin admin;
    private MockMvc api;

    @BeforeEach
    void threeDeadLetters() throws Exception {
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
        admin = new DeadLetterAdmin(
                Map.of("bootstrap.servers", bootstrap), TopicSettings.defaults(), 3, Clock.systemUTC());
        api = MockMvcBuilders.standaloneSetup(new DeadLetterController(admin, new DeadLetterPayloads(null, List.of())))
                .setControllerAdvice(new DashboardProblems())
                .build();
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void aListingIsAPageThatSaysWhereTheNextOneStarts() throws Exception {
        api.perform(get("/api/dlq").param("topic", deadLetters).param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.count").value(2))
                .andExpect(
                        jsonPath("$.deadLetters[*].id", Matchers.contains(deadLetters + ":0:0", deadLetters + ":0:1")))
                .andExpect(jsonPath("$.next").value(deadLetters + ":0:1"));

        api.perform(get("/api/dlq")
                        .param("topic", deadLetters)
                        .param("limit", "2")
                        .param("after", deadLetters + ":0:1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.deadLetters[*].id", Matchers.contains(deadLetters + ":0:2")))
                .andExpect(jsonPath("$.next").doesNotExist());

        api.perform(get("/api/dlq").param("limit", "100000"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("a page holds 1 to 1000 dead letters, not 100000"));
    }
}
