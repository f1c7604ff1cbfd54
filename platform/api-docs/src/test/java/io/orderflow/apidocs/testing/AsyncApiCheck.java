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
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
    private static final Duration PARSER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(60);

    private AsyncApiCheck() {}

    /** A running service's document, read without a token as anyone may. */
    public record Service(String document) {

        /** Waits out a 503: a service answers so while the registry has not told it the versions yet. */
        public static Service at(String baseUrl) {
            return new Service(await().atMost(BROKER_WAIT)
                    .ignoreExceptions()
                    .until(
                            () -> ApiDocsCheck.Service.read(
                                    HttpRequest.newBuilder(URI.create(baseUrl + "/asyncapi.json"))),
                            document -> document != null));
        }

        /**
         * Asserts that the document is valid, describes everything the service writes and reads, and that the broker
         * has each of its consumer groups reading what the document says.
         */
        public void assertDescribes(EventInterface expected, String bootstrapServers) {
            assertThat(missing(document, expected))
                    .as("what the document leaves out")
                    .isEmpty();
            // A group's members may still be joining when the service has just started.
            await().atMost(BROKER_WAIT)
                    .untilAsserted(() -> assertThat(notOnTheBroker(document, bootstrapServers))
                            .as("consumer groups the broker does not show reading what the document says")
                            .isEmpty());
            // Last: without Node.js it skips the test, and the checks above have been made.
            assertThat(problems(document))
                    .as("the AsyncAPI parser on the document")
                    .isEmpty();
        }

        /** The consumer groups of its receive operations. */
        public Set<String> groups() {
            Set<String> groups = new TreeSet<>();
            JSON.readTree(document).path("operations").forEach(operation -> {
                if ("receive".equals(operation.path("action").asString(""))) {
                    groups.add(groupOf(operation));
                }
            });
            return groups;
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
     * operation for exactly its event types; a topic a group reads without a receive operation for that group naming
     * exactly the event types it handles and passing the others by; a channel whose messages are not its topic's
     * event types; a message whose payload is not the event type's schema; a dead-letter topic without its channel,
     * or addressed to another consumer than the one the group records the topic under. Empty when it says it all.
     */
    public static List<String> missing(String document, EventInterface expected) {
        JsonNode root = JSON.readTree(document);
        List<String> missing = new ArrayList<>();
        if (!expected.service().equals(root.path("info").path("title").asString(""))) {
            missing.add("info.title is not " + expected.service());
        }
        for (Topic topic : expected.writes()) {
            String operation = AsyncApiDocument.sendOperation(topic);
            checkMessages(root, missing, topic, topic.eventTypes().classes(), operation, "send");
        }
        for (Subscription subscription : expected.reads()) {
            for (Topic topic : subscription.topics()) {
                String operationId = AsyncApiDocument.receiveOperation(topic, subscription.group());
                List<Class<? extends SpecificRecord>> handled = topic.eventTypes().classes().stream()
                        .filter(subscription.handled()::contains)
                        .toList();
                checkMessages(root, missing, topic, handled, operationId, "receive");
                JsonNode operation = root.path("operations").path(operationId);
                if (groupIds(operation).size() != 1 || !subscription.group().equals(groupOf(operation))) {
                    missing.add(operationId + ": its Kafka binding does not name group " + subscription.group());
                }
                Set<String> passedBy = new TreeSet<>();
                operation.path(AsyncApiDocument.PASSES_BY_EXTENSION).forEach(name -> passedBy.add(name.asString("")));
                Set<String> notHandled = new TreeSet<>();
                topic.eventTypes().classes().stream()
                        .filter(type -> !subscription.handled().contains(type))
                        .forEach(type -> notHandled.add(EventTypes.nameOf(type)));
                if (!passedBy.equals(notHandled)) {
                    missing.add(operationId + " says it passes by " + passedBy + ", not " + notHandled);
                }
                String consumer = subscription.recordedAs(topic.name());
                String recordedAs =
                        operation.path(AsyncApiDocument.RECORDED_AS_EXTENSION).asString(subscription.group());
                if (!consumer.equals(recordedAs)) {
                    missing.add(operationId + " says its events are recorded as " + recordedAs + ", not " + consumer);
                }
                checkDeadLetters(root, missing, topic, subscription.group(), consumer);
            }
        }
        Set<String> operations = new TreeSet<>(root.path("operations").propertyNames());
        operations.removeAll(operationIds(expected));
        if (!operations.isEmpty()) {
            missing.add("operations the service does not have: " + operations);
        }
        Set<String> channels = new TreeSet<>(root.path("channels").propertyNames());
        channels.removeAll(channelIds(expected));
        if (!channels.isEmpty()) {
            missing.add("channels the service does not use: " + channels);
        }
        return missing;
    }

    /** The group ids a receive operation's Kafka binding allows: one, the group's, in Orderflow's documents. */
    private static JsonNode groupIds(JsonNode operation) {
        return operation.path("bindings").path("kafka").path("groupId").path("enum");
    }

    private static String groupOf(JsonNode operation) {
        return groupIds(operation).path(0).asString("");
    }

    private static Set<String> operationIds(EventInterface expected) {
        Set<String> ids = new TreeSet<>();
        expected.writes().forEach(topic -> ids.add(AsyncApiDocument.sendOperation(topic)));
        for (Subscription subscription : expected.reads()) {
            for (Topic topic : subscription.topics()) {
                ids.add(AsyncApiDocument.receiveOperation(topic, subscription.group()));
                ids.add(AsyncApiDocument.deadLetterOperation(topic, subscription.group()));
            }
        }
        return ids;
    }

    private static Set<String> channelIds(EventInterface expected) {
        Set<String> ids = new TreeSet<>();
        expected.writes().forEach(topic -> ids.add(topic.name()));
        for (Subscription subscription : expected.reads()) {
            for (Topic topic : subscription.topics()) {
                ids.add(topic.name());
                ids.add(topic.deadLetterTopic());
            }
        }
        return ids;
    }

    private static void checkMessages(
            JsonNode root,
            List<String> missing,
            Topic topic,
            Collection<Class<? extends SpecificRecord>> types,
            String operationId,
            String action) {
        JsonNode channel = root.path("channels").path(topic.name());
        if (!topic.name().equals(channel.path("address").asString(""))) {
            missing.add("no channel for topic " + topic.name());
            return;
        }
        JsonNode operation = root.path("operations").path(operationId);
        if (!action.equals(operation.path("action").asString(""))
                || !AsyncApiDocument.channelRef(topic.name())
                        .equals(operation.path("channel").path("$ref").asString(""))) {
            missing.add("no " + action + " operation " + operationId + " on " + topic.name());
            return;
        }
        Set<String> channelMessages = new TreeSet<>(channel.path("messages").propertyNames());
        Set<String> carried = new TreeSet<>(topic.eventTypes().names());
        if (!channelMessages.equals(carried)) {
            missing.add(topic.name() + " has the messages " + channelMessages + ", not " + carried);
        }
        for (Class<? extends SpecificRecord> type : topic.eventTypes().classes()) {
            JsonNode message = channel.path("messages").path(EventTypes.nameOf(type));
            if (!message.isMissingNode() && !carriesSchemaOf(message, type)) {
                missing.add(topic.name() + "'s " + EventTypes.nameOf(type) + " does not carry the Avro schema of "
                        + type.getName());
            }
        }
        Set<String> referenced = new TreeSet<>();
        operation
                .path("messages")
                .forEach(ref -> referenced.add(ref.path("$ref").asString("")));
        Set<String> expected = new TreeSet<>();
        for (Class<? extends SpecificRecord> type : types) {
            String name = EventTypes.nameOf(type);
            expected.add(AsyncApiDocument.messageRef(topic.name(), name));
            if (channel.path("messages").path(name).isMissingNode()) {
                missing.add(topic.name() + " has no message " + name);
            }
            if (!referenced.contains(AsyncApiDocument.messageRef(topic.name(), name))) {
                missing.add(operationId + " does not name " + name);
            }
        }
        referenced.removeAll(expected);
        if (!referenced.isEmpty()) {
            missing.add(operationId + " names what it does not " + action + ": " + referenced);
        }
    }

    private static boolean carriesSchemaOf(JsonNode message, Class<? extends SpecificRecord> type) {
        return AsyncApiDocument.AVRO_FORMAT.equals(
                        message.path("payload").path("schemaFormat").asString(""))
                && JSON.readTree(EventTypes.schemaOf(type).toString())
                        .equals(message.path("payload").path("schema"));
    }

    private static void checkDeadLetters(
            JsonNode root, List<String> missing, Topic topic, String group, String consumer) {
        String name = topic.deadLetterTopic();
        String operationId = AsyncApiDocument.deadLetterOperation(topic, group);
        JsonNode channel = root.path("channels").path(name);
        JsonNode operation = root.path("operations").path(operationId);
        String message = AsyncApiDocument.messageRef(name, AsyncApiDocument.DEAD_LETTER);
        if (!name.equals(channel.path("address").asString(""))
                || !channel.path("messages").has(AsyncApiDocument.DEAD_LETTER)
                || !"send".equals(operation.path("action").asString(""))
                || !AsyncApiDocument.channelRef(name)
                        .equals(operation.path("channel").path("$ref").asString(""))
                || channel.path("messages").size() != 1
                || operation.path("messages").size() != 1
                || !message.equals(
                        operation.path("messages").path(0).path("$ref").asString(""))) {
            missing.add(group + " dead-letters " + topic.name() + " to " + name + ": no such channel and operation");
        } else if (!consumer.equals(
                operation.path(AsyncApiDocument.CONSUMER_EXTENSION).asString(""))) {
            missing.add(operationId + " does not say its dead letters are addressed to " + consumer);
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
                String group = groupOf(operation);
                String channel = operation
                        .path("channel")
                        .path("$ref")
                        .asString("")
                        .replace(AsyncApiDocument.channelRef(""), "");
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
