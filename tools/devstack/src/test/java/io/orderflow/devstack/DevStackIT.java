package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DevStackIT {

    private final DevStack stack = TestStack.get();

    @Test
    void brokerKeepsRecordsAcrossAKillAndRestart() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("devstack.restart", 1, (short) 1)))
                    .all()
                    .get();
        }
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("devstack.restart", "k", "before-kill"))
                    .get();
        }

        KafkaBroker broker = stack.broker().orElseThrow();
        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        broker.restart();

        try (var consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("devstack.restart"));
            List<String> values = new java.util.ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return !values.isEmpty();
            });
            assertThat(values).containsExactly("before-kill");
        }
    }

    @Test
    void databaseAcceptsConnectionsAndCommitsDurably() throws Exception {
        try (var connection =
                        DriverManager.getConnection(stack.jdbcUrl(), stack.databaseUser(), stack.databasePassword());
                var statement = connection.createStatement()) {
            var result = statement.executeQuery("show synchronous_commit");
            result.next();
            assertThat(result.getString(1)).isEqualTo("on");
        }
    }

    @Test
    void servicesAreToldTheIssuerWhoseTokensTheStackHandsOut() throws Exception {
        assertThat(stack.serviceEnvironment())
                .containsEntry(StackSettings.OAUTH2_ISSUER_URI, stack.issuerUri())
                .as("a secret that mints operator tokens goes to the dashboard alone")
                .doesNotContainKey(StackSettings.DASHBOARD_CLIENT_SECRET);
        assertThat(stack.clientEnvironment(StackRealm.DASHBOARD_CLIENT))
                .containsEntry(StackSettings.DASHBOARD_CLIENT_SECRET, stack.dashboardClientSecret());
        assertThat(stack.clientEnvironment("order-service")).isEmpty();
        assertThat(stack.springBootProperties())
                .containsEntry("spring.security.oauth2.resourceserver.jwt.issuer-uri", stack.issuerUri());

        String token = stack.tokens().operator();
        var claims =
                JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("iss").asString()).isEqualTo(stack.issuerUri());
        assertThat(claims.path("sub").asString()).isEqualTo("orderflow-cli");

        // What the command line does: the running stack's issuer from its work directory.
        Path workDirectory = stack.authServer().directory().getParent();
        assertThat(Tokens.forStack(workDirectory).issuerUri()).isEqualTo(stack.issuerUri());
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "devstack-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }
}
