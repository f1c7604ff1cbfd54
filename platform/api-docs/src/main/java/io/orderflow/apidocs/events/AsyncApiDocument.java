package io.orderflow.apidocs.events;

import io.orderflow.eventing.consumer.DeadLetterHeaders;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.serde.SchemaRegistryClient.RegisteredVersion;
import io.orderflow.eventing.topic.Topic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A service's {@link EventInterface} as an AsyncAPI 3 document: a channel per topic it writes or reads, with every event
 * type the topic carries (its Avro schema, the envelope headers, the key, and the versions the schema registry holds);
 * a channel per dead-letter topic its consumers write; a send operation per topic it writes, a receive operation per
 * topic and consumer group, and a send operation per dead-letter topic.
 *
 * <p>Each message's payload is the schema this service writes or reads with; {@value #SCHEMA_EXTENSION} lists the
 * subject's registered versions with their ids and says which of them is this service's, so that documents of
 * several services, side by side, show who is on which version.
 */
public final class AsyncApiDocument {

    public static final String ASYNCAPI_VERSION = "3.1.0";
    /** The Avro version whose schema language the payloads are in, as the AsyncAPI schema format names it. */
    public static final String AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0";
    /** The payload bytes: the registry's wire format (magic byte 0, the schema's 4-byte id), then Avro binary. */
    public static final String CONTENT_TYPE = "application/vnd.apache.avro+binary";

    public static final String KAFKA_BINDING_VERSION = "0.5.0";
    public static final String SCHEMA_EXTENSION = "x-orderflow-schema";
    /** On a receive operation: the event types of the topic the group acknowledges without acting on them. */
    public static final String PASSES_BY_EXTENSION = "x-orderflow-passes-by";
    /** On a receive operation: the name its events are recorded under, where it is not the group's. */
    public static final String RECORDED_AS_EXTENSION = "x-orderflow-recorded-as";
    /** On a dead-letter operation: the consumer its dead letters name, and are replayed to. */
    public static final String CONSUMER_EXTENSION = "x-orderflow-consumer";
    /** On a dead-letter operation: the consumer group that writes them. */
    public static final String GROUP_EXTENSION = "x-orderflow-group";

    public static final String ENVELOPE = "Envelope";
    public static final String DEAD_LETTER = "DeadLetter";
    public static final String DEAD_LETTER_HEADERS = "DeadLetterHeaders";

    /** Spring Kafka's dead-letter headers, which Orderflow's dead letters carry whoever wrote them. */
    private static final String ORIGINAL = "kafka_dlt-original-";

    private static final String EXCEPTION = "kafka_dlt-exception-";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Where the service's brokers and registry are, as it is configured.
     *
     * @param bootstrapServers its comma-separated bootstrap servers
     * @param tls              whether it talks TLS to them ({@code SSL} or {@code SASL_SSL})
     * @param registryUrl      the schema registry's base URL
     */
    public record Servers(String bootstrapServers, boolean tls, String registryUrl) {}

    private final EventInterface events;
    private final Function<String, List<RegisteredVersion>> registry;

    private AsyncApiDocument(EventInterface events, Function<String, List<RegisteredVersion>> registry) {
        this.events = events;
        this.registry = registry;
    }

    /**
     * @param registry a subject's registered versions, oldest first
     * @throws RuntimeException whatever {@code registry} throws when the registry cannot answer
     */
    public static ObjectNode describe(
            EventInterface events,
            String version,
            Servers servers,
            Function<String, List<RegisteredVersion>> registry) {
        return new AsyncApiDocument(events, registry).document(version, servers);
    }

    /** The id of the operation that writes a topic. */
    public static String sendOperation(Topic topic) {
        return "send." + topic.name();
    }

    /** The id of the operation by which a consumer group reads a topic. */
    public static String receiveOperation(Topic topic, String group) {
        return "receive." + topic.name() + "." + group;
    }

    /** The id of the operation by which a consumer group writes a topic's dead letters. */
    public static String deadLetterOperation(Topic topic, String group) {
        return "send." + topic.deadLetterTopic() + "." + group;
    }

    /** A reference to a channel, by its id (its topic's name). */
    public static String channelRef(String channel) {
        return "#/channels/" + channel;
    }

    /** A reference to a message of a channel. */
    public static String messageRef(String channel, String message) {
        return channelRef(channel) + "/messages/" + message;
    }

    private ObjectNode document(String version, Servers servers) {
        ObjectNode document = NODES.objectNode();
        document.put("asyncapi", ASYNCAPI_VERSION);
        document.putObject("info")
                .put("title", events.service())
                .put("version", version)
                .put(
                        "description",
                        "The events Orderflow's " + events.service() + " writes and reads on Kafka. Every record's key"
                                + " is the id of the aggregate its event is about, so an aggregate's events stay in"
                                + " order on one partition; its value is Avro in the schema registry's wire format"
                                + " (a zero byte, the writer schema's 4-byte id, Avro binary), its subject"
                                + " <topic>-<record full name>; its headers are the envelope. Topics are lz4"
                                + " compressed. Read with isolation.level=read_committed: dead letters are replayed"
                                + " in Kafka transactions.");
        document.put("defaultContentType", CONTENT_TYPE);
        document.set("servers", servers(servers));
        ObjectNode channels = document.putObject("channels");
        ObjectNode operations = document.putObject("operations");
        for (Topic topic : events.writes()) {
            channel(channels, topic);
            ObjectNode send = operation(operations, sendOperation(topic), "send", topic.name())
                    .put("title", "Writes " + topic.name())
                    .put(
                            "summary",
                            events.service() + " is the one writer of " + topic.name() + ", through its"
                                    + " transactional outbox.");
            ArrayNode messages = send.putArray("messages");
            topic.eventTypes().classes().forEach(type -> messages.add(messageRef(topic.name(), type)));
        }
        for (Subscription subscription : events.reads()) {
            for (Topic topic : subscription.topics()) {
                channel(channels, topic);
                ObjectNode receive = operation(
                                operations, receiveOperation(topic, subscription.group()), "receive", topic.name())
                        .put("title", subscription.group() + " reads " + topic.name())
                        .put("summary", "Each event is applied once: an event-id seen before changes nothing.");
                ArrayNode messages = receive.putArray("messages");
                ArrayNode passedBy = NODES.arrayNode();
                for (Class<? extends SpecificRecord> type : topic.eventTypes().classes()) {
                    if (subscription.handled().contains(type)) {
                        messages.add(messageRef(topic.name(), type));
                    } else {
                        passedBy.add(EventTypes.nameOf(type));
                    }
                }
                if (!passedBy.isEmpty()) {
                    receive.set(PASSES_BY_EXTENSION, passedBy);
                }
                groupBinding(receive, subscription.group());
                String consumer = subscription.recordedAs(topic.name());
                if (!consumer.equals(subscription.group())) {
                    // A topic that joined a merged subscription keeps the name it was read under before.
                    receive.put(RECORDED_AS_EXTENSION, consumer);
                }

                deadLetterChannel(channels, topic);
                ObjectNode deadLetters = operation(
                                operations,
                                deadLetterOperation(topic, subscription.group()),
                                "send",
                                topic.deadLetterTopic())
                        .put("title", consumer + " dead-letters " + topic.name())
                        .put(
                                "summary",
                                "A record the group cannot read, or could not handle after its retries, goes here"
                                        + " unchanged, with why, " + DeadLetterHeaders.CONSUMER + " " + consumer
                                        + "; it can be replayed to it alone.");
                deadLetters
                        .putArray("messages")
                        .addObject()
                        .put("$ref", messageRef(topic.deadLetterTopic(), DEAD_LETTER));
                deadLetters.put(CONSUMER_EXTENSION, consumer).put(GROUP_EXTENSION, subscription.group());
            }
        }
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        schemas.set(ENVELOPE, envelope());
        schemas.set(DEAD_LETTER_HEADERS, deadLetterHeaders());
        return document;
    }

    private static ObjectNode servers(Servers servers) {
        List<String> hosts = List.of(servers.bootstrapServers().split(","));
        ObjectNode kafka = NODES.objectNode()
                .put("host", hosts.get(0).strip())
                .put("protocol", servers.tls() ? "kafka-secure" : "kafka")
                .put("description", "The bootstrap servers " + joined(hosts) + ", as this service is configured.");
        kafka.putObject("bindings")
                .putObject("kafka")
                .put("schemaRegistryUrl", servers.registryUrl())
                .put("schemaRegistryVendor", "confluent")
                .put("bindingVersion", KAFKA_BINDING_VERSION);
        ObjectNode all = NODES.objectNode();
        all.set("kafka", kafka);
        return all;
    }

    private static String joined(List<String> hosts) {
        return String.join(", ", hosts.stream().map(String::strip).toList());
    }

    private void channel(ObjectNode channels, Topic topic) {
        if (channels.has(topic.name())) {
            return;
        }
        ObjectNode channel = channels.putObject(topic.name())
                .put("address", topic.name())
                .put("title", topic.name())
                .put(
                        "description",
                        "Events of one context, one writer: "
                                + topic.eventTypes().names() + ".");
        ObjectNode messages = channel.putObject("messages");
        for (Class<? extends SpecificRecord> type : topic.eventTypes().classes()) {
            messages.set(EventTypes.nameOf(type), message(topic, type));
        }
        topicBinding(channel, topic.name());
    }

    private ObjectNode message(Topic topic, Class<? extends SpecificRecord> type) {
        Schema schema = EventTypes.schemaOf(type);
        String subject = EventSerde.subject(topic.name(), schema);
        ObjectNode message = NODES.objectNode()
                .put("name", EventTypes.nameOf(type))
                .put("title", EventTypes.nameOf(type))
                .put("contentType", CONTENT_TYPE);
        if (schema.getDoc() != null) {
            message.put("summary", schema.getDoc());
        }
        message.putObject("correlationId")
                .put("description", "The saga the event belongs to: the order id for every event of an order's saga.")
                .put("location", "$message.header#/" + EventHeaders.CORRELATION_ID);
        message.putObject("headers").put("$ref", "#/components/schemas/" + ENVELOPE);
        message.putObject("payload").put("schemaFormat", AVRO_FORMAT).set("schema", avro(schema));
        ObjectNode binding = message.putObject("bindings").putObject("kafka");
        binding.putObject("key")
                .put("type", "string")
                .put("description", "The aggregate's id: each aggregate's events stay in order on one partition.");
        binding.put("schemaIdLocation", "payload")
                .put("schemaIdPayloadEncoding", "confluent")
                .put("schemaLookupStrategy", "TopicRecordNameStrategy")
                .put("bindingVersion", KAFKA_BINDING_VERSION);
        message.set(SCHEMA_EXTENSION, registered(subject, schema));
        return message;
    }

    private ObjectNode registered(String subject, Schema own) {
        ObjectNode registered = NODES.objectNode().put("subject", subject);
        ArrayNode versions = registered.putArray("versions");
        for (RegisteredVersion version : registry.apply(subject)) {
            versions.addObject()
                    .put("version", version.version())
                    .put("id", version.id())
                    .set("schema", avro(version.schema()));
            if (version.schema().equals(own)) {
                registered.put("thisService", version.version());
            }
        }
        return registered;
    }

    private static void deadLetterChannel(ObjectNode channels, Topic topic) {
        String name = topic.deadLetterTopic();
        if (channels.has(name)) {
            return;
        }
        ObjectNode channel = channels.putObject(name)
                .put("address", name)
                .put("title", name)
                .put(
                        "description",
                        "Dead letters of " + topic.name() + ": each is the original record, key, value and"
                                + " envelope unchanged, with the failure's headers. Every group that reads "
                                + topic.name() + " writes here; " + DeadLetterHeaders.CONSUMER + " says which.");
        ObjectNode message = channel.putObject("messages")
                .putObject(DEAD_LETTER)
                .put("name", DEAD_LETTER)
                .put("title", "Dead letter of " + topic.name())
                .put("contentType", "application/octet-stream");
        message.putObject("headers").put("$ref", "#/components/schemas/" + DEAD_LETTER_HEADERS);
        message.putObject("payload")
                .put("type", "string")
                .put("format", "binary")
                .put("description", "The original record's value, byte for byte: it may not even be Avro.");
        topicBinding(channel, name);
    }

    private static ObjectNode operation(ObjectNode operations, String id, String action, String channel) {
        ObjectNode operation = operations.putObject(id).put("action", action);
        operation.putObject("channel").put("$ref", channelRef(channel));
        return operation;
    }

    private static ObjectNode messageRef(String channel, Class<? extends SpecificRecord> type) {
        return NODES.objectNode().put("$ref", messageRef(channel, EventTypes.nameOf(type)));
    }

    private static void topicBinding(ObjectNode channel, String topic) {
        channel.putObject("bindings")
                .putObject("kafka")
                .put("topic", topic)
                .put("bindingVersion", KAFKA_BINDING_VERSION);
    }

    private static void groupBinding(ObjectNode operation, String group) {
        ObjectNode kafka = operation.putObject("bindings").putObject("kafka");
        kafka.putObject("groupId").put("type", "string").putArray("enum").add(group);
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
    }

    private static JsonNode avro(Schema schema) {
        return JSON.readTree(schema.toString());
    }

    private static ObjectNode envelope() {
        Map<String, ObjectNode> headers = new LinkedHashMap<>();
        headers.put(EventHeaders.EVENT_ID, uuid("Unique per event: a consumer's inbox skips an event-id it has seen."));
        headers.put(
                EventHeaders.EVENT_TYPE,
                text("The event's Avro record name (OrderPlaced, ...): which type the value is."));
        headers.put(
                EventHeaders.CORRELATION_ID,
                text("The saga the event belongs to: the order id for every event of an order's saga."));
        headers.put(
                EventHeaders.CAUSATION_ID,
                uuid("The event-id of the event that caused this one; absent on an event a request caused."));
        headers.put(
                EventHeaders.OCCURRED_AT,
                text("When the fact happened (ISO-8601, UTC).").put("format", "date-time"));
        headers.put(EventHeaders.PRODUCER, text("The service that wrote the event."));
        headers.put(
                EventHeaders.TRACEPARENT,
                text("W3C trace context of the work that wrote the event.")
                        .put("pattern", "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"));
        headers.put(
                EventHeaders.AGGREGATE_VERSION,
                text("From writers that keep an event store: the version the event gave its aggregate, from 1.")
                        .put("pattern", "^[1-9][0-9]*$"));
        headers.put(
                DeadLetterHeaders.REPLAY_FOR,
                text("On a record replayed from a dead-letter topic: the one consumer it is replayed for, named as"
                        + " in the dead letter's " + DeadLetterHeaders.CONSUMER + " (its group, or the name a"
                        + " merged subscription records the topic under). Every other consumer must pass it by: it"
                        + " handled the record the first time."));
        headers.put(
                DeadLetterHeaders.REPLAY_COUNT,
                text("On a replayed record: how many times it has been replayed.")
                        .put("pattern", "^[0-9]+$"));
        headers.put(
                DeadLetterHeaders.REPLAYED_FROM,
                text("On a replayed record: the dead letter it came from, <dlq topic>:<partition>:<offset>."));
        ObjectNode schema = NODES.objectNode()
                .put("type", "object")
                .put("description", "The envelope: Kafka headers on every event record, each a UTF-8 string.");
        ArrayNode required = schema.putArray("required");
        List.of(
                        EventHeaders.EVENT_ID,
                        EventHeaders.EVENT_TYPE,
                        EventHeaders.CORRELATION_ID,
                        EventHeaders.OCCURRED_AT,
                        EventHeaders.PRODUCER)
                .forEach(required::add);
        ObjectNode properties = schema.putObject("properties");
        headers.forEach(properties::set);
        return schema;
    }

    private static ObjectNode deadLetterHeaders() {
        Map<String, ObjectNode> headers = new LinkedHashMap<>();
        headers.put(
                DeadLetterHeaders.REASON, text("Why the record failed: what tools show and group dead letters by."));
        headers.put(
                DeadLetterHeaders.CONSUMER,
                text("The consumer whose handling failed, by the name it records the topic under (its group's, or"
                        + " for a topic that joined a merged subscription the former subscription's): the one a"
                        + " replay is for. The topic's other consumers may have handled the record."));
        headers.put(
                DeadLetterHeaders.ATTEMPTS,
                text("How many times the consumer tried the record.").put("pattern", "^[0-9]+$"));
        headers.put(
                DeadLetterHeaders.FAILED_AT,
                text("When it last failed (ISO-8601, UTC).").put("format", "date-time"));
        headers.put(ORIGINAL + "topic", text("The topic the record was read from."));
        headers.put(ORIGINAL + "partition", binary("Its partition: a 4-byte big-endian int."));
        headers.put(ORIGINAL + "offset", binary("Its offset: an 8-byte big-endian long."));
        headers.put(ORIGINAL + "timestamp", binary("Its timestamp: an 8-byte big-endian long, epoch milliseconds."));
        headers.put(ORIGINAL + "consumer-group", text("The consumer group that read it."));
        headers.put(EXCEPTION + "fqcn", text("The class of the exception it failed with."));
        headers.put(EXCEPTION + "message", text("The exception's message."));
        headers.put(EXCEPTION + "cause-fqcn", text("The class of the exception's cause, when it has one."));
        headers.put(EXCEPTION + "stacktrace", text("The exception's stack trace, from the Spring Kafka consumers."));
        ObjectNode schema = NODES.objectNode()
                .put("type", "object")
                .put(
                        "description",
                        "The failure's headers, besides the original record's own envelope, kept for the replay.");
        ArrayNode required = schema.putArray("required");
        List.of(
                        DeadLetterHeaders.REASON,
                        DeadLetterHeaders.CONSUMER,
                        DeadLetterHeaders.ATTEMPTS,
                        DeadLetterHeaders.FAILED_AT,
                        ORIGINAL + "topic",
                        ORIGINAL + "partition",
                        ORIGINAL + "offset",
                        EXCEPTION + "fqcn")
                .forEach(required::add);
        ObjectNode properties = schema.putObject("properties");
        headers.forEach(properties::set);
        return schema;
    }

    private static ObjectNode text(String description) {
        return NODES.objectNode().put("type", "string").put("description", description);
    }

    private static ObjectNode uuid(String description) {
        return text(description).put("format", "uuid");
    }

    private static ObjectNode binary(String description) {
        return NODES.objectNode().put("description", description);
    }
}
