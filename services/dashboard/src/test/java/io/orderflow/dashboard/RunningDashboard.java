package io.orderflow.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.orderflow.auth.Realm;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.TestStack;
import io.orderflow.devstack.Tokens;
import io.orderflow.eventing.consumer.DeadLetterHeaders;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard as it runs, on a port of its own, given what the launcher gives its process: the test stack's
 * environment, with the issuer ({@code OAUTH2_ISSUER_URI}) and the dashboard's client secret ({@code
 * DASHBOARD_CLIENT_SECRET}). The test classes that extend it share one dashboard.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + DashboardApplication.CONFIG_NAME)
public abstract class RunningDashboard {

    /** No service runs here: each is read, and found unreachable, at once. */
    private static final String NO_SERVICE = "http://127.0.0.1:1";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        TestStack.get().serviceEnvironment().forEach((name, value) -> registry.add(name, () -> value));
        TestStack.get().clientEnvironment("dashboard").forEach((name, value) -> registry.add(name, () -> value));
        for (String service : List.of(
                "ORDER_SERVICE_URL",
                "INVENTORY_SERVICE_URL",
                "PAYMENT_SERVICE_URL",
                "SHIPPING_SERVICE_URL",
                "ORDER_VIEW_SERVICE_URL")) {
            registry.add(service, () -> NO_SERVICE);
        }
    }

    /** The dashboard's own address, as a browser opens it (a loopback address, which the issuer accepts). */
    protected String dashboard() {
        return "http://127.0.0.1:" + port;
    }

    protected static DevStack stack() {
        return TestStack.get();
    }

    protected static Tokens tokens() {
        return TestStack.get().tokens();
    }

    /** A user's password, from the stack's realm: its users sign in with random passwords made once. */
    protected static String password(String username) {
        return Realm.load(TestStack.get().authServer().realmFile())
                .user(username)
                .orElseThrow(() -> new IllegalArgumentException("the stack has no user " + username))
                .password();
    }

    /**
     * A pending dead letter in a dead-letter topic of its own, replayable to the topic it names as its origin (made
     * too), so that replaying it touches no other test's; its id.
     */
    protected static String aPendingDeadLetter() throws Exception {
        String original = "test.replayable-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLetters = original + ".dlq";
        String bootstrap = stack().bootstrapServers();
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap));
                RawKafka records = new RawKafka(bootstrap)) {
            kafka.createTopics(List.of(new NewTopic(original, 1, (short) 1), new NewTopic(deadLetters, 1, (short) 1)))
                    .all()
                    .get();
            ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetters, "order-1", new byte[0]);
            letter.headers().add(DeadLetterHeaders.REASON, "IllegalStateException: boom".getBytes(UTF_8));
            records.send(letter);
        }
        return deadLetters + ":0:0";
    }
}
