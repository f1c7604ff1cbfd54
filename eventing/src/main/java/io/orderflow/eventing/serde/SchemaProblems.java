package io.orderflow.eventing.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** What stops a reader schema from decoding data written with a writer schema, one line per problem. */
final class SchemaProblems {

    private SchemaProblems() {
    }

    static List<String> readingProblems(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        return result.getIncompatibilities().stream()
                .map(problem -> problem.getType() + " at " + problem.getLocation() + ": " + problem.getMessage())
                .toList();
    }
}
