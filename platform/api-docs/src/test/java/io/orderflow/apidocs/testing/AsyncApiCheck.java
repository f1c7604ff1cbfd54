package io.orderflow.apidocs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.apidocs.events.AsyncApiDocument;
import io.orderflow.apidocs.events.EventInterface;
import io.orderflow.apidocs.events.Subscription;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.topic.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a service's AsyncAPI document: valid by the AsyncAPI project's own parser (Node.js, {@code
 * tools/asyncapi-check}, Avro payloads included), and describing what the service really writes and reads: every
 * event type of the topics it writes, every subscription of its consumer groups, and those groups as the broker sees
 * them.
 *
 * <p>Node.js and the parser ({@code npm ci} in {@code tools/asyncapi-check}) are needed: see {@link NodeScript}.
 */
public final class AsyncApiCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PARSER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(60);

    private AsyncApiCheck() {}

    /** A running service's document, read without a token as anyone may. */
    public record Service(String document) {

        public static Service at(String baseUrl) {
            return new Service(read(baseUrl + "/asyncapi.json"));
        }

        /**
         * Asserts that the document is valid, describes everything the service writes and reads, and that the broker
         * has each of its consumer groups reading what the document says.
         */
        public void assertDescribes(EventInterface expected, String bootstrapServers) {
            assertThat(problems(document))
                    .as("the AsyncAPI parser on the document")
                    .isEmpty();
            assertThat(missing(document, expected))
                    .as("what the document leaves out")
                    .isEmpty();
            // A group's members may still be joining when the service has just started.
            await().atMost(BROKER_WAIT)
                    .untilAsserted(() -> assertThat(notOnTheBroker(document, bootstrapServers))
                            .as("consumer groups the broker does not show reading what the document says")
                            .isEmpty());
        }

        /** The consumer groups of its receive operations. */
        public Set<String> groups() {
            Set<String> groups = new TreeSet<>();
            JSON.readTree(document).path("operations").forEach(operation -> {
                if ("receive".equals(operation.path("action").asString(""))) {
                    groups.add(operation
                            .path("bindings")
                            .path("kafka")
                            .path("groupId")
                            .path("enum")
                            .path(0)
                            .asString(""));
                }
            });
            return groups;
        }

        private static String read(String url) {
            try {
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + answer.statusCode() + ": " + answer.body());
                }
                return answer.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The errors and warnings of the AsyncAPI parser on the document, each as {@code severity code path: message};
     * empty when it has none.
     */
    public static List<String> problems(String document) {
        NodeScript validator = NodeScript.in("tools/asyncapi-check", "validate.mjs", "@asyncapi/parser");
        try {
            Path file = Files.createTempFile("asyncapi", ".json");
            try {
                Files.writeString(file, document, StandardCharsets.UTF_8);
                NodeScript.Run run = validator.run(PARSER_TIMEOUT, file.toString());
                List<String> problems = new ArrayList<>();
                for (String line : run.lines()) {
                    JsonNode finding = line.startsWith("{") ? JSON.readTree(line) : null;
                    if (finding == null) {
                        problems.add("parser output: " + line);
                    } else if (Set.of("error", "warning")
                            .contains(finding.path("severity").asString(""))) {
                        problems.add(finding.path("severity").asString("") + " "
                                + finding.path("code").asString("") + " "
                                + finding.path("path").asString("") + ": "
                                + finding.path("message").asString(""));
                    }
                }
                if (run.exitCode() != 0 && problems.isEmpty()) {
                    problems.add("the parser exited with " + run.exitCode() + " and said nothing");
                }
                return problems;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What of the service's interface the document leaves out or gets wrong: a topic it writes without a send
     * operation for each event type, a topic a group reads without a receive operation for that group and each event
     * type it handles, a message whose payload is not the event type's schema, a dead-letter topic without its
     * channel. Empty when the document says it all.
     */
    public static List<String> missing(String document, EventInterface expected) {
        JsonNode root = JSON.readTree(document);
        List<String> missing = new ArrayList<>();
        if (!expected.service().equals(root.path("info").path("title").asString(""))) {
            missing.add("info.title is not " + expected.service());
        }
        for (Topic topic : expected.writes()) {
            String operation = "send." + topic.name();
            checkMessages(root, missing, topic, topic.eventTypes().classes(), operation, "send");
        }
        for (Subscription subscription : expected.reads()) {
            for (Topic topic : subscription.topics()) {
                String operation = "receive." + topic.name() + "." + subscription.group();
                List<Class<? extends SpecificRecord>> handled = topic.eventTypes().classes().stream()
                        .filter(subscription.handled()::contains)
                        .toList();
                checkMessages(root, missing, topic, handled, operation, "receive");
                JsonNode group = root.path("operations")
                        .path(operation)
                        .path("bindings")
                        .path("kafka")
                        .path("groupId")
                        .path("enum")
                        .path(0);
                if (!subscription.group().equals(group.asString(""))) {
                    missing.add(operation + ": its Kafka binding does not name group " + subscription.group());
                }
                JsonNode deadLetters =
                        root.path("operations").path("send." + topic.deadLetterTopic() + "." + subscription.group());
                if (!deadLetters
                                .path("channel")
                                .path("$ref")
                                .asString("")
                                .equals("#/channels/" + topic.deadLetterTopic())
                        || !root.path("channels").path(topic.deadLetterTopic()).has("messages")) {
                    missing.add(subscription.group() + " dead-letters " + topic.name() + " to "
                            + topic.deadLetterTopic() + ": no such channel and operation");
                }
            }
        }
        return missing;
    }

    private static void checkMessages(
            JsonNode root,
            List<String> missing,
            Topic topic,
            Iterable<Class<? extends SpecificRecord>> types,
            String operationId,
            String action) {
        JsonNode channel = root.path("channels").path(topic.name());
        if (!topic.name().equals(channel.path("address").asString(""))) {
            missing.add("no channel for topic " + topic.name());
            return;
        }
        JsonNode operation = root.path("operations").path(operationId);
        if (!action.equals(operation.path("action").asString(""))
                || !("#/channels/" + topic.name())
                        .equals(operation.path("channel").path("$ref").asString(""))) {
            missing.add("no " + action + " operation " + operationId + " on " + topic.name());
            return;
        }
        Set<String> referenced = new HashSet<>();
        operation
                .path("messages")
                .forEach(ref -> referenced.add(ref.path("$ref").asString("")));
        for (Class<? extends SpecificRecord> type : types) {
            String name = EventTypes.nameOf(type);
            JsonNode message = channel.path("messages").path(name);
            JsonNode schema = message.path("payload").path("schema");
            if (message.isMissingNode()) {
                missing.add(topic.name() + " has no message " + name);
            } else if (!AsyncApiDocument.AVRO_FORMAT.equals(
                            message.path("payload").path("schemaFormat").asString(""))
                    || !JSON.readTree(EventTypes.schemaOf(type).toString()).equals(schema)) {
                missing.add(topic.name() + "'s " + name + " does not carry the Avro schema of " + type.getName());
            }
            if (!referenced.contains("#/channels/" + topic.name() + "/messages/" + name)) {
                missing.add(operationId + " does not name " + name);
            }
        }
    }

    /**
     * The document's receive operations whose group the broker does not show with a member assigned the topic: a
     * group named wrong, or one that does not read what the document says.
     */
    public static List<String> notOnTheBroker(String document, String bootstrapServers) {
        JsonNode root = JSON.readTree(document);
        Map<String, Set<String>> claimed = new LinkedHashMap<>();
        root.path("operations").properties().forEach(entry -> {
            JsonNode operation = entry.getValue();
            if ("receive".equals(operation.path("action").asString(""))) {
                String group = operation
                        .path("bindings")
                        .path("kafka")
                        .path("groupId")
                        .path("enum")
                        .path(0)
                        .asString("");
                String channel =
                        operation.path("channel").path("$ref").asString("").replace("#/channels/", "");
                String topic =
                        root.path("channels").path(channel).path("address").asString(channel);
                claimed.computeIfAbsent(group, any -> new HashSet<>()).add(topic);
            }
        });
        if (claimed.isEmpty()) {
            return List.of();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, ConsumerGroupDescription> groups =
                    admin.describeConsumerGroups(claimed.keySet()).all().get(30, TimeUnit.SECONDS);
            List<String> wrong = new ArrayList<>();
            claimed.forEach((group, topics) -> {
                Set<String> assigned = new HashSet<>();
                ConsumerGroupDescription description = groups.get(group);
                if (description != null) {
                    for (MemberDescription member : description.members()) {
                        member.assignment().topicPartitions().stream()
                                .map(TopicPartition::topic)
                                .forEach(assigned::add);
                    }
                }
                for (String topic : topics) {
                    if (!assigned.contains(topic)) {
                        wrong.add("group " + group + " has no member reading " + topic);
                    }
                }
            });
            return wrong;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer groups: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
