package io.orderflow.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.registry.CompatibilityLevel;
import io.orderflow.registry.SchemaRegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serde against a registry of its own that goes down and comes back: what is cached keeps working, what is not
 * waits for the registry instead of being taken for a poison record.
 */
class SchemaRegistryOutageIT {

    private final String schemasTopic = "_schemas_outage_" + UUID.randomUUID();
    private SchemaRegistryServer registry = start(0);

    @AfterEach
    void stop() {
        registry.close();
    }

    private SchemaRegistryServer start(int port) {
        return SchemaRegistryServer.start(
                TestStack.get().bootstrapServers(),
                port,
                new SchemaRegistryServer.Settings(schemasTopic, (short) 1, CompatibilityLevel.BACKWARD));
    }

    @Test
    void cachedSchemasKeepEventsFlowingWhileTheRegistryIsDownAndUncachedOnesWaitForIt() throws IOException {
        String topic = "test.outage-" + UUID.randomUUID();
        EventSerde serde = new EventSerde(
                topic,
                EventTypes.of(CounterIncremented.class),
                new SchemaRegistryClient(registry.url(), Duration.ofSeconds(2)),
                true);
        CounterIncremented before = new CounterIncremented("c", 1, 0, false);
        assertThat(serde.fromBytes("CounterIncremented", serde.toBytes(before))).isEqualTo(before);

        // A newer producer registers v2 (one more field, with a default); this consumer has not seen it yet.
        Schema v2 = new Schema.Parser()
                .parse(CounterIncremented.getClassSchema()
                        .toString()
                        .replace(
                                "\"fields\":[",
                                "\"fields\":[{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"},"));
        int v2Id = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(2))
                .register(serde.subjectOf(CounterIncremented.class), v2);
        byte[] fromV2 = encode(v2Id, v2, "c", 7);

        int port = registry.port();
        registry.close();

        CounterIncremented during = new CounterIncremented("c", 2, 0, false);
        assertThat(serde.fromBytes("CounterIncremented", serde.toBytes(during)))
                .as("cached: no registry needed")
                .isEqualTo(during);
        assertThatThrownBy(() -> serde.fromBytes("CounterIncremented", fromV2))
                .as("an uncached schema is an outage to wait out, not a poison record")
                .isInstanceOf(SchemaRegistryUnavailableException.class);

        registry = start(port);
        CounterIncremented read = (CounterIncremented) serde.fromBytes("CounterIncremented", fromV2);
        assertThat(read.getCounterId()).isEqualTo("c");
        assertThat(read.getSequence()).isEqualTo(7);
    }

    private static byte[] encode(int schemaId, Schema schema, String counterId, int sequence) throws IOException {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue()) {
                record.put(field.name(), GenericData.get().getDefaultValue(field));
            }
        }
        record.put("counterId", counterId);
        record.put("sequence", sequence);
        record.put("note", "written by v2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
