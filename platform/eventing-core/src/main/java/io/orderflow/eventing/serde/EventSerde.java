package io.orderflow.eventing.serde;

import io.orderflow.compatibility.Incompatibilities;
import io.orderflow.eventing.envelope.EventHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place where the events of one topic become bytes and back, in the schema registry's wire format: a
 * zero magic byte, the writer schema's 4-byte global id, then Avro binary. A consumer decodes with the writer's
 * schema (fetched by id) resolved against the schema of its own generated class, so a consumer reads events
 * written by older and newer producers alike, as far as the compatibility rules allow.
 *
 * <p>Each event type has its own subject, {@code <topic>-<record full name>}, because several types share a topic.
 */
public final class EventSerde implements Serde<SpecificRecord> {

    public static final byte MAGIC_BYTE = 0;
    private static final int HEADER_SIZE = 5;

    private final String topic;
    private final EventTypes eventTypes;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<Class<?>, Writer> writers = new ConcurrentHashMap<>();
    /** By reader class, then writer schema id: no allocation on the way to a cached reader. */
    private final Map<Class<?>, Map<Integer, DatumReader<SpecificRecord>>> readers = new ConcurrentHashMap<>();

    public EventSerde(String topic, EventTypes eventTypes, SchemaRegistryClient registry, boolean autoRegister) {
        this.topic = topic;
        this.eventTypes = eventTypes;
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    private record Writer(int schemaId, byte[] header, DatumWriter<SpecificRecord> datumWriter) {
        Writer(int schemaId, DatumWriter<SpecificRecord> datumWriter) {
            this(
                    schemaId,
                    new byte[] {
                        MAGIC_BYTE,
                        (byte) (schemaId >>> 24),
                        (byte) (schemaId >>> 16),
                        (byte) (schemaId >>> 8),
                        (byte) schemaId
                    },
                    datumWriter);
        }
    }

    private record ReaderKey(int schemaId, Class<?> type) {}

    public String topic() {
        return topic;
    }

    public EventTypes eventTypes() {
        return eventTypes;
    }

    /** The subject an event type's schemas are registered under on this topic. */
    public String subjectOf(Class<? extends SpecificRecord> type) {
        return subject(topic, EventTypes.schemaOf(type));
    }

    public static String subject(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }

    /**
     * Makes sure this service can write an event type: registers its schema when auto-registration is on, checks
     * it is registered otherwise. Either way the id is cached, so later writes need no registry.
     *
     * @throws IncompatibleSchemaException naming the subject and what is wrong, field by field
     */
    public int prepareWriting(Class<? extends SpecificRecord> type) {
        return writerOf(type).schemaId();
    }

    /**
     * Makes sure this service can read every registered version of an event type's schema with its own.
     *
     * @throws IncompatibleSchemaException naming the subject, the version and the field
     */
    public void prepareReading(Class<? extends SpecificRecord> type) {
        Schema reader = EventTypes.schemaOf(type);
        String subject = subjectOf(type);
        for (Schema registered : registry.versions(subject)) {
            var problems = Incompatibilities.describe(
                    reader,
                    registered,
                    "this service's " + type.getSimpleName() + " cannot read data written with the registered one");
            if (!problems.isEmpty()) {
                throw new IncompatibleSchemaException(
                        "this service cannot read events of subject '" + subject + "': " + problems);
            }
        }
    }

    public byte[] toBytes(SpecificRecord event) {
        if (!eventTypes.contains(event.getClass())) {
            throw new IllegalArgumentException("event type " + EventTypes.nameOf(event)
                    + " is not one of the types of topic " + topic + ": " + eventTypes.names());
        }
        Writer writer = writerOf(event.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(writer.header(), 0, HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.datumWriter().write(event, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("cannot encode " + EventTypes.nameOf(event) + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a payload written by any compatible version of the event type's schema.
     *
     * @throws PoisonRecordException when the type is unknown, the bytes are not in the wire format, the schema id
     *                               is unknown to the registry or the bytes do not decode with it
     * @throws SchemaRegistryUnavailableException when the writer's schema is not cached and the registry is down
     */
    public SpecificRecord fromBytes(String eventType, byte[] payload) {
        Class<? extends SpecificRecord> type = eventTypes
                .find(eventType)
                .orElseThrow(() -> new PoisonRecordException(
                        "unknown event type '" + eventType + "', expected one of " + eventTypes.names()));
        if (payload == null || payload.length < HEADER_SIZE) {
            throw new PoisonRecordException("payload of " + eventType + " has " + (payload == null ? 0 : payload.length)
                    + " bytes: too short for the schema-registry wire format (magic byte, 4-byte schema id, data)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new PoisonRecordException(String.format(
                    "%s payload starts with the unknown magic byte 0x%02x: not" + " the schema-registry wire format",
                    eventType, payload[0]));
        }
        int schemaId =
                (payload[1] & 0xff) << 24 | (payload[2] & 0xff) << 16 | (payload[3] & 0xff) << 8 | payload[4] & 0xff;
        Map<Integer, DatumReader<SpecificRecord>> byId = readers.get(type);
        if (byId == null) {
            byId = readers.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        }
        DatumReader<SpecificRecord> reader = byId.get(schemaId);
        if (reader == null) {
            // Not computeIfAbsent: that would hold a lock of the map through a registry call.
            reader = readerFor(new ReaderKey(schemaId, type), eventType);
            byId.putIfAbsent(schemaId, reader);
        }
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(payload, HEADER_SIZE, payload.length - HEADER_SIZE, null);
        try {
            SpecificRecord event = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new PoisonRecordException(
                        "payload of " + eventType + " has trailing bytes after the data of" + " schema " + schemaId);
            }
            return event;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonRecordException poison) {
                throw poison;
            }
            throw new PoisonRecordException(
                    "payload is not valid Avro for " + eventType + " with schema id " + schemaId + ": " + e, e);
        }
    }

    private Writer writerOf(Class<?> type) {
        Writer writer = writers.get(type);
        if (writer == null) {
            // Not computeIfAbsent: that would hold a lock of the map through a registry call.
            writer = newWriter(type);
            writers.putIfAbsent(type, writer);
        }
        return writer;
    }

    @SuppressWarnings("unchecked")
    private Writer newWriter(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        String subject = subject(topic, schema);
        int id;
        if (autoRegister) {
            try {
                id = registry.register(subject, schema);
            } catch (SchemaRegistryException e) {
                throw new IncompatibleSchemaException(
                        "cannot register the schema of " + schema.getName() + " under subject '" + subject + "': "
                                + e.getMessage(),
                        e);
            }
        } else {
            id = registry.idOf(subject, schema)
                    .orElseThrow(() -> new IncompatibleSchemaException(
                            "the schema of " + schema.getName() + " is not registered under subject '" + subject
                                    + "' and auto-registration is off: register it (./orderflow schemas register) before"
                                    + " deploying" + describeIncompatibilities(subject, schema)));
        }
        var datumWriter = (DatumWriter<SpecificRecord>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, model);
        return new Writer(id, datumWriter);
    }

    private String describeIncompatibilities(String subject, Schema schema) {
        try {
            var problems = registry.incompatibilities(subject, schema);
            return problems.isEmpty() ? "" : "; registering it would fail: " + problems;
        } catch (RuntimeException e) {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<SpecificRecord> readerFor(ReaderKey key, String eventType) {
        Schema writer;
        try {
            writer = registry.schemaById(key.schemaId());
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw new PoisonRecordException(
                        "unknown schema id " + key.schemaId() + " in a " + eventType
                                + " payload: the registry has no such schema",
                        e);
            }
            // Any other refusal is about the request, never about the record's bytes: a wrong URL or a registry
            // that speaks another dialect, for an operator to fix while the record waits.
            throw new SchemaRegistryUnavailableException(
                    "schema registry refused schema id " + key.schemaId() + ": HTTP " + e.status() + " error "
                            + e.errorCode() + " " + e.getMessage(),
                    e);
        }
        SpecificData generated = SpecificData.getForClass(key.type());
        Schema reader = generated.getSchema(key.type());
        if (!writer.getName().equals(reader.getName())) {
            throw new PoisonRecordException("schema id " + key.schemaId() + " is " + writer.getFullName()
                    + " but the event-type header says " + eventType);
        }
        var problems = Incompatibilities.describe(reader, writer, "writer schema id " + key.schemaId());
        if (!problems.isEmpty()) {
            throw new PoisonRecordException(
                    "this consumer's " + eventType + " cannot read schema id " + key.schemaId() + ": " + problems);
        }
        return (DatumReader<SpecificRecord>)
                (DatumReader<?>) new SpecificDatumReader<>(writer, reader, readingModel(generated, key.type()));
    }

    /**
     * The generated model's conversions, with the record classes looked up where the event type itself was loaded
     * from: the generated model asks the loader of Avro's classes, which may hold another version of a class of the
     * same name (a plug-in, an application server, or a test running two versions of a contract side by side).
     */
    private static SpecificData readingModel(SpecificData generated, Class<?> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        generated.getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return (topicName, data) -> data == null ? null : toBytes(data);
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return new Deserializer<>() {
            @Override
            public SpecificRecord deserialize(String topicName, byte[] data) {
                throw new UnsupportedOperationException("the event type travels in the headers: use the headers");
            }

            @Override
            public SpecificRecord deserialize(String topicName, Headers headers, byte[] data) {
                Header type = headers.lastHeader(EventHeaders.EVENT_TYPE);
                if (type == null || type.value() == null) {
                    throw new PoisonRecordException("missing header '" + EventHeaders.EVENT_TYPE + "'");
                }
                return fromBytes(new String(type.value(), StandardCharsets.UTF_8), data);
            }
        };
    }
}
