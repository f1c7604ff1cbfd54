package io.orderflow.registry;

import io.orderflow.compatibility.Incompatibilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The compatibility levels of a Confluent schema registry, judged by Avro's own reader/writer resolution rules:
 * a schema change is compatible in a direction when Avro can decode data written with one schema using the other.
 *
 * <p>BACKWARD: consumers on the new schema read data written with the old one (upgrade consumers first).
 * FORWARD: consumers still on the old schema read data written with the new one (upgrade producers first).
 * FULL: both. The non-transitive levels compare with the latest version only, the transitive ones with every
 * live version, which is what a topic that keeps its history needs.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    public static Optional<CompatibilityLevel> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isTransitive() {
        return transitive;
    }

    /**
     * Checks a candidate against earlier versions.
     *
     * @param earlier the live versions, oldest first, as {@code (version, schema)}
     * @return one readable line per incompatibility; empty when the candidate is compatible
     */
    public List<String> check(Schema candidate, List<Versioned> earlier) {
        if (this == NONE || earlier.isEmpty()) {
            return List.of();
        }
        List<Versioned> compared = transitive ? earlier : List.of(earlier.get(earlier.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Versioned previous : compared) {
            if (backward) {
                problems.addAll(Incompatibilities.describe(
                        candidate,
                        previous.schema(),
                        "the new schema cannot read data written with version " + previous.version()));
            }
            if (forward) {
                problems.addAll(Incompatibilities.describe(
                        previous.schema(),
                        candidate,
                        "version " + previous.version() + " cannot read data written with the new schema"));
            }
        }
        return problems;
    }

    /** A schema with the version it was registered as. */
    public record Versioned(int version, Schema schema) {}
}
