package io.orderflow.compatibility;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Turns Avro's verdict on a reader/writer pair into lines a developer can act on: what is wrong, with which field
 * and where. The registry, the build-time check and a starting service all explain a misfit this way.
 */
public final class Incompatibilities {

    private Incompatibilities() {}

    /**
     * @param context what the pair is, appended to each line, e.g. "version 1 cannot read data written with the new
     *                schema"
     * @return one line per problem; empty when the reader can read what the writer wrote
     */
    public static List<String> describe(Schema reader, Schema writer, String context) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream()
                .map(problem -> line(problem, reader, context))
                .toList();
    }

    private static String line(Incompatibility problem, Schema reader, String context) {
        String field = fieldAt(reader, problem.getLocation());
        String what = switch (problem.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE ->
                "field '" + problem.getMessage() + "' has no default value and is missing from the writer's schema";
            case NAME_MISMATCH ->
                "name changed: the writer's '" + problem.getMessage()
                        + "' is not the reader's name or one of its aliases";
            case TYPE_MISMATCH -> "type changed: " + problem.getMessage();
            case MISSING_ENUM_SYMBOLS -> "enum symbols removed without an enum default: " + problem.getMessage();
            case MISSING_UNION_BRANCH -> "union branch removed: " + problem.getMessage();
            case FIXED_SIZE_MISMATCH -> "fixed size changed: " + problem.getMessage();
        };
        return problem.getType() + " " + (field.isEmpty() ? "" : "in field '" + field + "' ") + "at "
                + problem.getLocation() + ": " + what + " (" + context + ")";
    }

    /** The dotted name of the field a location like {@code /fields/2/type/fields/0} points into, if any. */
    static String fieldAt(Schema schema, String location) {
        StringBuilder path = new StringBuilder();
        Schema current = schema;
        String[] parts = location.split("/");
        for (int i = 0; i < parts.length && current != null; i++) {
            String part = parts[i];
            if (part.equals("fields") && i + 1 < parts.length && current.getType() == Schema.Type.RECORD) {
                int index;
                try {
                    index = Integer.parseInt(parts[++i]);
                } catch (NumberFormatException e) {
                    break;
                }
                if (index < 0 || index >= current.getFields().size()) {
                    break;
                }
                Schema.Field field = current.getFields().get(index);
                path.append(path.length() == 0 ? "" : ".").append(field.name());
                current = field.schema();
            } else if (part.equals("items") && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if (part.equals("values") && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (current.getType() == Schema.Type.UNION && part.matches("\\d+")) {
                int branch = Integer.parseInt(part);
                current =
                        branch < current.getTypes().size() ? current.getTypes().get(branch) : null;
            }
        }
        return path.toString();
    }
}
