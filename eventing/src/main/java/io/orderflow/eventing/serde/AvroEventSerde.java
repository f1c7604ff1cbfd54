package io.orderflow.eventing.serde;

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
 * The one place where event payloads become bytes and back: Avro binary of the generated class, the concrete type
 * chosen by the {@code event-type} header. The schema-registry wire format replaces this class, nothing else.
 */
public final class AvroEventSerde implements Serde<SpecificRecord> {

    private final EventTypes eventTypes;
    private final Map<Class<?>, DatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();
    private final Map<Class<?>, DatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();

    public AvroEventSerde(EventTypes eventTypes) {
        this.eventTypes = eventTypes;
    }

    public EventTypes eventTypes() {
        return eventTypes;
    }

    public byte[] toBytes(SpecificRecord event) {
        if (!eventTypes.contains(event.getClass())) {
            throw new IllegalArgumentException("event type " + EventTypes.nameOf(event)
                    + " is not one of this topic's types " + eventTypes.names());
        }
        DatumWriter<SpecificRecord> writer = writers.computeIfAbsent(event.getClass(), AvroEventSerde::writerFor);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(event, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("cannot encode " + EventTypes.nameOf(event) + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a payload.
     *
     * @throws PoisonRecordException when the type is unknown or the bytes are not a valid encoding of it
     */
    public SpecificRecord fromBytes(String eventType, byte[] payload) {
        Class<? extends SpecificRecord> type = eventTypes.find(eventType)
                .orElseThrow(() -> new PoisonRecordException("unknown event type '" + eventType
                        + "', expected one of " + eventTypes.names()));
        if (payload == null) {
            throw new PoisonRecordException("empty payload for " + eventType);
        }
        DatumReader<SpecificRecord> reader = readers.computeIfAbsent(type, AvroEventSerde::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, null);
        try {
            SpecificRecord event = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new PoisonRecordException("payload of " + eventType + " has " + remaining(decoder)
                        + " trailing bytes: not a " + eventType);
            }
            return event;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonRecordException poison) {
                throw poison;
            }
            throw new PoisonRecordException("payload is not valid Avro for " + eventType + ": " + e, e);
        }
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, SpecificRecord data) {
                return data == null ? null : toBytes(data);
            }
        };
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return new Deserializer<>() {
            @Override
            public SpecificRecord deserialize(String topic, byte[] data) {
                throw new UnsupportedOperationException("the event type travels in the headers: use the headers");
            }

            @Override
            public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
                Header type = headers.lastHeader(EventHeaders.EVENT_TYPE);
                if (type == null || type.value() == null) {
                    throw new PoisonRecordException("missing header '" + EventHeaders.EVENT_TYPE + "'");
                }
                return fromBytes(new String(type.value(), StandardCharsets.UTF_8), data);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<SpecificRecord> writerFor(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        return (DatumWriter<SpecificRecord>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, model);
    }

    @SuppressWarnings("unchecked")
    private static DatumReader<SpecificRecord> readerFor(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        return (DatumReader<SpecificRecord>) (DatumReader<?>) new SpecificDatumReader<>(schema, schema, model);
    }

    private static String remaining(BinaryDecoder decoder) {
        try {
            return String.valueOf(decoder.inputStream().available());
        } catch (IOException e) {
            return "some";
        }
    }
}
