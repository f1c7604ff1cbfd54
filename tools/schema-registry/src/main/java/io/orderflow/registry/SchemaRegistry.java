package io.orderflow.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;

/**
 * The registry's state and rules: subjects with numbered versions, one global id per distinct schema, compatibility
 * settings. Every change is written to the {@link SchemaLog} first and applied here only once Kafka has it, so
 * what a client was told is never lost. One instance writes; operations are serialized.
 */
final class SchemaRegistry {

    private final SchemaLog log;
    private final Map<String, NavigableMap<Integer, RegisteredSchema>> subjects = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private final CompatibilityLevel defaultLevel;

    SchemaRegistry(SchemaLog log, CompatibilityLevel defaultLevel) {
        this.log = log;
        this.defaultLevel = defaultLevel;
        this.globalLevel = defaultLevel;
        log.replay(this::apply);
    }

    /** A version of a subject. */
    record RegisteredSchema(String subject, int version, int id, String schema, boolean deleted) {}

    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        Optional<RegisteredSchema> existing = live(subject).stream()
                .filter(version -> version.schema().equals(canonical))
                .findFirst();
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<String> problems = levelOf(subject).check(schema, liveVersions(subject));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems);
        }
        Integer known = idsBySchema.get(canonical);
        int id = known != null ? known : nextId();
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        write(SchemaLog.schemaEntry(subject, version, id, canonical, false));
        return id;
    }

    synchronized RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
        String canonical = parse(schemaText).toString();
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || (!includeDeleted && live(subject).isEmpty())) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.values().stream()
                .filter(version -> includeDeleted || !version.deleted())
                .filter(version -> version.schema().equals(canonical))
                .findFirst()
                .orElseThrow(() -> RegistryException.schemaNotFound("in subject '" + subject + "'"));
    }

    synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryException.schemaNotFound(String.valueOf(id));
        }
        return schema;
    }

    synchronized List<Map<String, Object>> subjectVersionsOf(int id) {
        schemaById(id);
        List<Map<String, Object>> found = new ArrayList<>();
        subjects.values()
                .forEach(versions -> versions.values().stream()
                        .filter(version -> version.id() == id && !version.deleted())
                        .forEach(version -> {
                            Map<String, Object> pair = new java.util.LinkedHashMap<>();
                            pair.put("subject", version.subject());
                            pair.put("version", version.version());
                            found.add(pair);
                        }));
        return found;
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return new ArrayList<>(new TreeSet<>(subjects.keySet().stream()
                .filter(subject -> includeDeleted
                        ? !subjects.get(subject).isEmpty()
                        : !live(subject).isEmpty())
                .toList()));
    }

    synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        List<RegisteredSchema> versions = includeDeleted
                ? new ArrayList<>(
                        subjects.getOrDefault(subject, new TreeMap<>()).values())
                : live(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.stream().map(RegisteredSchema::version).toList();
    }

    /** A version by number, or the latest live one for {@code -1}. */
    synchronized RegisteredSchema version(String subject, int version, boolean includeDeleted) {
        List<RegisteredSchema> live = live(subject);
        if (!subjects.containsKey(subject) || (live.isEmpty() && !includeDeleted)) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (version == -1) {
            if (live.isEmpty()) {
                throw RegistryException.versionNotFound(subject, "latest");
            }
            return live.get(live.size() - 1);
        }
        RegisteredSchema found = subjects.get(subject).get(version);
        if (found == null || (found.deleted() && !includeDeleted)) {
            throw RegistryException.versionNotFound(subject, version);
        }
        return found;
    }

    /** Compatibility of a candidate with one version, or with what registration would check when null. */
    synchronized List<String> compatibility(String subject, Integer version, String schemaText) {
        Schema schema = parse(schemaText);
        CompatibilityLevel level = levelOf(subject);
        if (version == null) {
            return level.check(schema, liveVersions(subject));
        }
        RegisteredSchema against = version(subject, version, false);
        CompatibilityLevel single = switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
        return single.check(
                schema,
                List.of(new CompatibilityLevel.Versioned(
                        against.version(), new Schema.Parser().parse(against.schema()))));
    }

    synchronized List<Integer> deleteSubject(String subject) {
        List<RegisteredSchema> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        for (RegisteredSchema version : live) {
            write(SchemaLog.schemaEntry(subject, version.version(), version.id(), version.schema(), true));
        }
        return live.stream().map(RegisteredSchema::version).toList();
    }

    synchronized int deleteVersion(String subject, int version) {
        RegisteredSchema found = version(subject, version, false);
        write(SchemaLog.schemaEntry(subject, found.version(), found.id(), found.schema(), true));
        return found.version();
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized void setGlobalLevel(CompatibilityLevel level) {
        write(SchemaLog.configEntry(null, level));
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
        write(SchemaLog.configEntry(subject, level));
    }

    synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
        CompatibilityLevel previous = subjectLevels.get(subject);
        if (previous == null) {
            throw RegistryException.subjectConfigNotFound(subject);
        }
        write(SchemaLog.configEntry(subject, null));
        return previous;
    }

    private CompatibilityLevel levelOf(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<RegisteredSchema> live(String subject) {
        return subjects.getOrDefault(subject, new TreeMap<>()).values().stream()
                .filter(version -> !version.deleted())
                .toList();
    }

    private List<CompatibilityLevel.Versioned> liveVersions(String subject) {
        return live(subject).stream()
                .map(version -> new CompatibilityLevel.Versioned(
                        version.version(), new Schema.Parser().parse(version.schema())))
                .toList();
    }

    private int nextId() {
        return schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    private void write(SchemaLog.Entry entry) {
        log.append(entry);
        apply(entry.key(), Optional.ofNullable(entry.value()));
    }

    private void apply(JsonNode key, Optional<JsonNode> value) {
        String type = key.path("keytype").asString();
        if (type.equals("SCHEMA") && value.isPresent()) {
            JsonNode v = value.get();
            RegisteredSchema schema = new RegisteredSchema(
                    v.path("subject").asString(),
                    v.path("version").asInt(),
                    v.path("id").asInt(),
                    v.path("schema").asString(),
                    v.path("deleted").asBoolean(false));
            subjects.computeIfAbsent(schema.subject(), s -> new TreeMap<>()).put(schema.version(), schema);
            schemasById.putIfAbsent(schema.id(), schema.schema());
            idsBySchema.putIfAbsent(schema.schema(), schema.id());
        } else if (type.equals("CONFIG")) {
            Optional<CompatibilityLevel> level = value.flatMap(
                    v -> CompatibilityLevel.parse(v.path("compatibilityLevel").asString(null)));
            if (key.hasNonNull("subject")) {
                level.ifPresentOrElse(
                        l -> subjectLevels.put(key.get("subject").asString(), l),
                        () -> subjectLevels.remove(key.get("subject").asString()));
            } else {
                globalLevel = level.orElse(defaultLevel);
            }
        }
    }

    static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("the schema is empty");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema(e.toString());
        }
    }
}
