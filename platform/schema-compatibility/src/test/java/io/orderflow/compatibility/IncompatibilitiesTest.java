package io.orderflow.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class IncompatibilitiesTest {

    private static Schema order(String lineFields) {
        return new Schema.Parser().parse("""
                {"type":"record","name":"Order","namespace":"test","fields":[
                  {"name":"id","type":"string"},
                  {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[%s]}}}]}
                """.formatted(lineFields));
    }

    @Test
    void aReaderThatCanReadTheWriterHasNothingToSay() {
        Schema schema = order("{\"name\":\"sku\",\"type\":\"string\"}");
        assertThat(Incompatibilities.describe(schema, schema, "same")).isEmpty();
    }

    @Test
    void aMisfitNamesTheNestedFieldItsKindAndTheContext() {
        Schema writer = order("{\"name\":\"sku\",\"type\":\"string\"}");
        Schema reader = order("{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"quantity\",\"type\":\"int\"}");

        List<String> problems = Incompatibilities.describe(reader, writer, "v2 cannot read v1");

        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("READER_FIELD_MISSING_DEFAULT_VALUE in field 'lines.quantity' at /fields/1/type/items/")
                .contains("field 'quantity' has no default value and is missing from the writer's schema")
                .endsWith("(v2 cannot read v1)");
    }

    @Test
    void aChangedTypeIsATypeMismatchInThatField() {
        Schema writer = order("{\"name\":\"sku\",\"type\":\"string\"}");
        Schema reader = order("{\"name\":\"sku\",\"type\":\"int\"}");

        assertThat(Incompatibilities.describe(reader, writer, "context"))
                .singleElement()
                .asString()
                .startsWith("TYPE_MISMATCH in field 'lines.sku'");
    }
}
