package io.orderflow.eventing.serde;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The event types that may travel on one topic, by name. The name is the Avro record's name (a contract), never a
 * Java class name chosen by whoever wrote the code.
 */
public final class EventTypes {

    static {
        // Avro refuses to instantiate classes it has not been told to trust. Classes generated from our contracts
        // (records and enums) are safe to instantiate; anything else named in a schema stays forbidden.
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                previous,
                type -> SpecificRecord.class.isAssignableFrom(type) || GenericEnumSymbol.class.isAssignableFrom(type)));
    }

    private final Map<String, Class<? extends SpecificRecord>> byName = new LinkedHashMap<>();
    private final Set<Class<?>> classes = new HashSet<>();

    @SafeVarargs
    public static EventTypes of(Class<? extends SpecificRecord>... types) {
        EventTypes eventTypes = new EventTypes();
        for (Class<? extends SpecificRecord> type : types) {
            String name = nameOf(type);
            if (eventTypes.byName.putIfAbsent(name, type) != null) {
                throw new IllegalArgumentException("event type '" + name + "' listed twice");
            }
            eventTypes.classes.add(type);
        }
        return eventTypes;
    }

    public static String nameOf(Class<? extends SpecificRecord> type) {
        return schemaOf(type).getName();
    }

    public static String nameOf(SpecificRecord event) {
        return event.getSchema().getName();
    }

    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }

    public Optional<Class<? extends SpecificRecord>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(Class<? extends SpecificRecord> type) {
        return classes.contains(type);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public Collection<Class<? extends SpecificRecord>> classes() {
        return byName.values();
    }
}
