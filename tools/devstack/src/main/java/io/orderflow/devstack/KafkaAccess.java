package io.orderflow.devstack;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the secure local Kafka: one principal per client, each with exactly the rights it needs, and
 * nothing for anyone else ({@code allow.everyone.if.no.acl.found=false}). The table is {@link #PRINCIPALS}; the
 * stack creates each principal's SCRAM credential and ACLs from it at every start, and removes ACLs it no longer
 * lists. Only {@value #BROKER} (the nodes) and {@value #ADMIN} (the stack itself) are super users.
 *
 * <p>Topic names are plain strings here: devstack cannot see the contracts' catalogue (it would be a cycle). Each
 * event topic has one writer; {@code <topic>.dlq} is written by the services that consume {@code <topic>}. The one
 * exception is the operators' dead-letter tools (the dashboard and the {@code orderflow} command), which replay a
 * dead letter to its topic.
 */
public final class KafkaAccess {

    public static final String ORDERS = "orders.events";
    public static final String INVENTORY = "inventory.events";
    public static final String PAYMENTS = "payments.events";
    public static final String SHIPMENTS = "shipments.events";
    public static final List<String> EVENT_TOPICS = List.of(ORDERS, INVENTORY, PAYMENTS, SHIPMENTS);

    public static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** A dead letter replayed too often is copied to {@code <its original topic>.quarantine}. */
    public static final String QUARANTINE_SUFFIX = ".quarantine";

    public static final String DEAD_LETTER_OUTCOMES = "orderflow.dlq-outcomes";
    public static final String DEAD_LETTER_ADMIN_TRANSACTIONAL_ID = "orderflow-dlq-admin";
    public static final String SCHEMAS_TOPIC = "_schemas";

    /** The nodes' own principal, between each other and on the controller listener (from their certificates). */
    public static final String BROKER = "broker";
    /** The stack's own principal: creates the others' credentials and ACLs. */
    public static final String ADMIN = "admin";

    private static final AclOperation[] OWN_TOPIC = {WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS};
    private static final AclOperation[] OWN_DEAD_LETTERS = {CREATE, DESCRIBE, DESCRIBE_CONFIGS};
    /**
     * CREATE too: a service that starts before the topic's owner creates the topic it reads, as the owner would
     * (same partitions and replication); creating is not writing.
     */
    private static final AclOperation[] CONSUMED_TOPIC = {READ, DESCRIBE, CREATE, DESCRIBE_CONFIGS};

    private static final AclOperation[] CONSUMED_DEAD_LETTERS = {WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS};
    private static final AclOperation[] GROUP_MEMBER = {READ, DESCRIBE};
    private static final AclOperation[] TOOL_TOPIC = {CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS};
    private static final AclOperation[] OWNED_TOPIC = {CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE};
    private static final AclOperation[] OWNED_GROUP = {READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS};
    private static final AclOperation[] TRANSACTIONS = {WRITE, DESCRIBE};

    /** The table. A principal's consumer groups all begin with its name. */
    public static final List<Principal> PRINCIPALS = List.of(
            service("order-service", List.of(ORDERS), List.of(INVENTORY, PAYMENTS, SHIPMENTS)),
            service("inventory-service", List.of(INVENTORY), List.of(ORDERS, PAYMENTS, SHIPMENTS)),
            service("payment-service", List.of(PAYMENTS), List.of(ORDERS, INVENTORY)),
            service("shipping-service", List.of(SHIPMENTS), List.of(PAYMENTS)),
            principal(
                    "order-view",
                    "the read side (Kafka Streams, application id order-view, exactly_once_v2)",
                    topics(EVENT_TOPICS, CONSUMED_TOPIC),
                    // what it cannot read goes to the topic's dead-letter topic, as a service's would
                    topics(EVENT_TOPICS.stream().map(KafkaAccess::deadLetters).toList(), CONSUMED_DEAD_LETTERS),
                    List.of(
                            // DELETE: a rebuild (orderflow views rebuild) deletes its group to start from the topics'
                            // beginning
                            groupPrefix("order-view", READ, DESCRIBE, DELETE),
                            // its internal topics: repartitions and changelogs
                            topicPrefix("order-view-", CREATE, READ, WRITE, DELETE, DESCRIBE, DESCRIBE_CONFIGS),
                            transactionalIdPrefix("order-view", TRANSACTIONS))),
            principal(
                    "schema-registry",
                    "the schema registry: its schemas live in " + SCHEMAS_TOPIC,
                    List.of(topic(SCHEMAS_TOPIC, TOOL_TOPIC))),
            principal("dashboard", "the operators' page: its dead-letter tools", deadLetterTools()),
            principal(
                    "orderflow",
                    "the command line (also the bench and the demo)",
                    deadLetterTools(),
                    topics(EVENT_TOPICS, READ, DESCRIBE, DESCRIBE_CONFIGS),
                    // the bench replays the read side's topology, which dead-letters what it cannot read as
                    // order-view does
                    topics(EVENT_TOPICS.stream().map(KafkaAccess::deadLetters).toList(), WRITE),
                    List.of(
                            groupPrefix("orderflow", GROUP_MEMBER),
                            // the bench measures the read side's freshness on its changelogs
                            topicPrefix("order-view-", READ, DESCRIBE),
                            // the bench's own topics
                            topicPrefix("bench.", OWNED_TOPIC),
                            groupPrefix("bench.", OWNED_GROUP),
                            transactionalIdPrefix("bench.", TRANSACTIONS))));

    private KafkaAccess() {}

    /**
     * A saga service: it provisions and writes its own topics ({@code writes}) and their dead-letter topics, reads
     * {@code reads} in consumer groups named after it, and dead-letters what it cannot handle to
     * {@code <read topic>.dlq}, which it provisions too.
     */
    static Principal service(String name, List<String> writes, List<String> reads) {
        List<Grant> grants = new ArrayList<>();
        for (String topic : writes) {
            grants.add(topic(topic, OWN_TOPIC));
            grants.add(topic(deadLetters(topic), OWN_DEAD_LETTERS));
        }
        for (String topic : reads) {
            grants.add(topic(topic, CONSUMED_TOPIC));
            grants.add(topic(deadLetters(topic), CONSUMED_DEAD_LETTERS));
        }
        grants.add(groupPrefix(name, GROUP_MEMBER));
        return new Principal(
                name, "writes " + String.join(", ", writes) + "; reads " + String.join(", ", reads), grants);
    }

    /**
     * Listing, showing, replaying (to the dead letter's own topic: the one exception to a single writer, for
     * operators), quarantining and purging dead letters; a replay's outcome is recorded transactionally.
     */
    static List<Grant> deadLetterTools() {
        List<Grant> grants = new ArrayList<>();
        for (String topic : EVENT_TOPICS) {
            grants.add(topic(deadLetters(topic), READ, DESCRIBE, DESCRIBE_CONFIGS, DELETE));
            grants.add(topic(topic, WRITE, DESCRIBE));
            // DeadLetterReplayer quarantines to <original topic>.quarantine (docs/commands.md), not
            // <topic>.dlq.quarantine
            grants.add(topic(topic + QUARANTINE_SUFFIX, TOOL_TOPIC));
        }
        grants.add(topic(DEAD_LETTER_OUTCOMES, TOOL_TOPIC));
        grants.add(transactionalId(DEAD_LETTER_ADMIN_TRANSACTIONAL_ID, TRANSACTIONS));
        return grants;
    }

    public static String deadLetters(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** Every principal's name, in the table's order. */
    public static List<String> names() {
        return PRINCIPALS.stream().map(Principal::name).toList();
    }

    public static Principal principal(String name) {
        return PRINCIPALS.stream()
                .filter(principal -> principal.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no Kafka principal " + name + " in the table; there are " + names()));
    }

    /** Every ACL of the table. */
    public static Set<AclBinding> aclBindings() {
        return PRINCIPALS.stream()
                .flatMap(principal -> principal.aclBindings().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The table in Markdown, for the documentation: one row per principal and resource. */
    public static String markdown() {
        StringBuilder table = new StringBuilder("| principal | resource | operations |\n|---|---|---|\n");
        for (Principal principal : PRINCIPALS) {
            for (Grant grant : principal.grants()) {
                table.append("| `")
                        .append(principal.name())
                        .append("` | ")
                        .append(grant.resourceText())
                        .append(" | ")
                        .append(grant.operations().stream().map(Enum::name).collect(Collectors.joining(", ")))
                        .append(" |\n");
            }
        }
        return table.toString();
    }

    /** Operations on one resource, or on every resource whose name begins with {@code name} when prefixed. */
    public record Grant(ResourceType type, PatternType pattern, String name, Set<AclOperation> operations) {

        public Grant {
            if (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED) {
                throw new IllegalArgumentException("a grant is literal or prefixed, not " + pattern);
            }
            if (operations.isEmpty()) {
                throw new IllegalArgumentException("a grant on " + name + " names no operation");
            }
            operations = Collections.unmodifiableSet(EnumSet.copyOf(operations));
        }

        /** Whether the grant is about the named resource. */
        public boolean covers(ResourceType resourceType, String resourceName) {
            return type == resourceType
                    && (pattern == PatternType.LITERAL ? name.equals(resourceName) : resourceName.startsWith(name));
        }

        /**
         * Whether it allows the operation on the resource, as Kafka's authorizer decides: DESCRIBE comes with READ,
         * WRITE, DELETE and ALTER, DESCRIBE_CONFIGS with ALTER_CONFIGS.
         */
        public boolean allows(ResourceType resourceType, String resourceName, AclOperation operation) {
            if (!covers(resourceType, resourceName)) {
                return false;
            }
            return operations.contains(operation)
                    || operations.contains(AclOperation.ALL)
                    || (operation == DESCRIBE
                            && Stream.of(READ, WRITE, DELETE, AclOperation.ALTER)
                                    .anyMatch(operations::contains))
                    || (operation == DESCRIBE_CONFIGS && operations.contains(AclOperation.ALTER_CONFIGS));
        }

        List<AclBinding> aclBindings(String principal) {
            ResourcePattern resource = new ResourcePattern(type, name, pattern);
            return operations().stream()
                    .map(operation -> new AclBinding(
                            resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)))
                    .toList();
        }

        String resourceText() {
            return type.name() + " " + (pattern == PatternType.PREFIXED ? "prefixed " : "") + "`" + name + "`";
        }

        @Override
        public String toString() {
            return resourceText() + ": " + operations;
        }
    }

    /**
     * A principal, {@code User:<name>} to Kafka, with its grants: grants on the same resource are merged, in the
     * order they first appear.
     */
    public record Principal(String name, String description, List<Grant> grants) {

        public Principal {
            if (name.equals(BROKER) || name.equals(ADMIN)) {
                throw new IllegalArgumentException(name + " is a super user, not an entry of the table");
            }
            Map<ResourcePattern, Set<AclOperation>> merged = new LinkedHashMap<>();
            for (Grant grant : grants) {
                merged.computeIfAbsent(
                                new ResourcePattern(grant.type(), grant.name(), grant.pattern()),
                                resource -> EnumSet.noneOf(AclOperation.class))
                        .addAll(grant.operations());
            }
            grants = merged.entrySet().stream()
                    .map(entry -> new Grant(
                            entry.getKey().resourceType(),
                            entry.getKey().patternType(),
                            entry.getKey().name(),
                            entry.getValue()))
                    .toList();
        }

        /** The principal as Kafka names it in ACLs and {@code super.users}. */
        public String kafkaPrincipal() {
            return "User:" + name;
        }

        public List<AclBinding> aclBindings() {
            return grants.stream()
                    .flatMap(grant -> grant.aclBindings(kafkaPrincipal()).stream())
                    .toList();
        }

        /** Whether some grant allows the operation on the resource, as Kafka's authorizer would decide. */
        public boolean allows(ResourceType type, String resourceName, AclOperation operation) {
            return grants.stream().anyMatch(grant -> grant.allows(type, resourceName, operation));
        }
    }

    static Grant topic(String name, AclOperation... operations) {
        return grant(ResourceType.TOPIC, PatternType.LITERAL, name, operations);
    }

    static Grant topicPrefix(String prefix, AclOperation... operations) {
        return grant(ResourceType.TOPIC, PatternType.PREFIXED, prefix, operations);
    }

    static Grant group(String name, AclOperation... operations) {
        return grant(ResourceType.GROUP, PatternType.LITERAL, name, operations);
    }

    static Grant groupPrefix(String prefix, AclOperation... operations) {
        return grant(ResourceType.GROUP, PatternType.PREFIXED, prefix, operations);
    }

    static Grant transactionalId(String name, AclOperation... operations) {
        return grant(ResourceType.TRANSACTIONAL_ID, PatternType.LITERAL, name, operations);
    }

    static Grant transactionalIdPrefix(String prefix, AclOperation... operations) {
        return grant(ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, prefix, operations);
    }

    static List<Grant> topics(Collection<String> names, AclOperation... operations) {
        return names.stream().map(name -> topic(name, operations)).toList();
    }

    @SafeVarargs
    static Principal principal(String name, String description, List<Grant>... grants) {
        return new Principal(
                name, description, Arrays.stream(grants).flatMap(List::stream).toList());
    }

    private static Grant grant(ResourceType type, PatternType pattern, String name, AclOperation... operations) {
        return new Grant(type, pattern, name, EnumSet.copyOf(Arrays.asList(operations)));
    }
}
