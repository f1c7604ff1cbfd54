package io.orderflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build-time check on a source tree and its released versions, as the contracts build runs it. */
class ReleasedSchemasTest {

    @TempDir
    Path root;

    private static final String LINE = """
            {"type":"record","name":"Line","namespace":"test.common","fields":[
              {"name":"productId","type":"string"},{"name":"quantity","type":"int"}]}""";

    private static String placed(String extraFields) {
        return """
                {"type":"record","name":"Placed","namespace":"test.orders","fields":[
                  {"name":"orderId","type":"string"},
                  {"name":"lines","type":{"type":"array","items":"test.common.Line"}}%s]}""".formatted(extraFields);
    }

    private ReleasedSchemas schemas(CompatibilityLevel level) throws IOException {
        Files.createDirectories(root.resolve("avro/orders"));
        Files.createDirectories(root.resolve("avro/common"));
        // Named so that the file using the shared type sorts first: the check must find the order itself.
        Files.writeString(root.resolve("avro/common/Line.avsc"), LINE);
        return new ReleasedSchemas(root.resolve("avro"), root.resolve("released"), level);
    }

    @Test
    void releasesChangedSchemasAsTheirNextVersionAndAcceptsCompatibleChanges() throws IOException {
        ReleasedSchemas schemas = schemas(CompatibilityLevel.FULL_TRANSITIVE);
        Files.writeString(root.resolve("avro/orders/A_Placed.avsc"), placed(""));
        assertThat(schemas.check()).allMatch(line -> line.endsWith("not released yet"));
        assertThat(schemas.release()).hasSize(2);
        assertThat(root.resolve("released/test.orders.Placed/v1.avsc")).exists();

        Files.writeString(
                root.resolve("avro/orders/A_Placed.avsc"),
                placed(",{\"name\":\"currency\",\"type\":\"string\",\"default\":\"USD\"}"));
        assertThat(schemas.check()).contains("test.orders.Placed: compatible with released v1 under FULL_TRANSITIVE");
        assertThat(schemas.release())
                .containsExactly("test.orders.Placed: released as " + Path.of("test.orders.Placed", "v2.avsc"));
        assertThat(schemas.release()).as("nothing changed since").isEmpty();
    }

    @Test
    void failsNamingTheFieldOfAnIncompatibleChange() throws IOException {
        ReleasedSchemas schemas = schemas(CompatibilityLevel.FULL_TRANSITIVE);
        Files.writeString(
                root.resolve("avro/orders/A_Placed.avsc"), placed(",{\"name\":\"note\",\"type\":\"string\"}"));
        schemas.release();

        Files.writeString(root.resolve("avro/orders/A_Placed.avsc"), placed(""));
        assertThatThrownBy(schemas::check)
                .hasMessageContaining("test.orders.Placed")
                .hasMessageContaining("field 'note'");

        Files.writeString(root.resolve("avro/orders/A_Placed.avsc"), placed(",{\"name\":\"note\",\"type\":\"int\"}"));
        assertThatThrownBy(schemas::check).hasMessageContaining("TYPE_MISMATCH in field 'note'");

        Files.writeString(root.resolve("avro/common/Line.avsc"), LINE.replace("quantity", "count"));
        Files.writeString(
                root.resolve("avro/orders/A_Placed.avsc"), placed(",{\"name\":\"note\",\"type\":\"string\"}"));
        assertThatThrownBy(schemas::check).hasMessageContaining("field 'lines.count'");
    }

    @Test
    void underNoneAnythingGoes() throws IOException {
        ReleasedSchemas schemas = schemas(CompatibilityLevel.NONE);
        Files.writeString(root.resolve("avro/orders/A_Placed.avsc"), placed(""));
        schemas.release();
        Files.writeString(
                root.resolve("avro/orders/A_Placed.avsc"), placed(",{\"name\":\"note\",\"type\":\"string\"}"));
        assertThat(schemas.check()).isNotEmpty();
    }
}
