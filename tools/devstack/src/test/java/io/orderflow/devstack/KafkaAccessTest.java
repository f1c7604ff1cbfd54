package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    /** The saga services and the topic each writes, as docs/architecture.md has them. */
    private static final Map<String, String> OWNERS = Map.of(
            KafkaAccess.ORDERS, "order-service",
            KafkaAccess.INVENTORY, "inventory-service",
            KafkaAccess.PAYMENTS, "payment-service",
            KafkaAccess.SHIPMENTS, "shipping-service");

    /** The operators' tools, which replay a dead letter to its topic: the documented exception to one writer. */
    private static final Set<String> DEAD_LETTER_TOOLS = Set.of("dashboard", "orderflow");

    /** The operations Kafka's authorizer checks on each kind of resource. */
    private static final Map<ResourceType, Set<AclOperation>> MEANINGFUL = Map.of(
            ResourceType.TOPIC,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.CREATE,
                    AclOperation.DELETE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.GROUP,
            EnumSet.of(
                    AclOperation.READ,
                    AclOperation.DESCRIBE,
                    AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.TRANSACTIONAL_ID,
            EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE));

    @Test
    void noPrincipalButItsOwnerWritesAnEventTopicExceptTheDeadLetterTools() {
        for (String topic : KafkaAccess.EVENT_TOPICS) {
            assertThat(principalsAllowed(ResourceType.TOPIC, topic, AclOperation.WRITE))
                    .as(topic)
                    .containsExactlyInAnyOrderElementsOf(union(Set.of(OWNERS.get(topic)), DEAD_LETTER_TOOLS));
        }
    }

    @Test
    void aDeadLetterTopicIsWrittenByTheConsumersOfItsTopicAndNoOneElse() {
        for (String topic : KafkaAccess.EVENT_TOPICS) {
            Set<String> consumingServices = OWNERS.values().stream()
                    .filter(service ->
                            KafkaAccess.principal(service).allows(ResourceType.TOPIC, topic, AclOperation.READ))
                    .collect(Collectors.toSet());
            assertThat(consumingServices).as(topic).isNotEmpty();
            // the read side dead-letters what it cannot read, as the services do, and so does its topology replayed
            // by the bench
            consumingServices.add("order-view");
            consumingServices.add("orderflow");
            assertThat(principalsAllowed(ResourceType.TOPIC, KafkaAccess.deadLetters(topic), AclOperation.WRITE))
                    .as(KafkaAccess.deadLetters(topic))
                    .containsExactlyInAnyOrderElementsOf(consumingServices);
        }
    }

    @Test
    void theServicesReadWhatTheArchitectureSaysTheyRead() {
        assertThat(topicsAllowed("order-service", AclOperation.READ))
                .containsExactlyInAnyOrder(KafkaAccess.INVENTORY, KafkaAccess.PAYMENTS, KafkaAccess.SHIPMENTS);
        assertThat(topicsAllowed("inventory-service", AclOperation.READ))
                .containsExactlyInAnyOrder(KafkaAccess.ORDERS, KafkaAccess.PAYMENTS, KafkaAccess.SHIPMENTS);
        assertThat(topicsAllowed("payment-service", AclOperation.READ))
                .containsExactlyInAnyOrder(KafkaAccess.ORDERS, KafkaAccess.INVENTORY);
        assertThat(topicsAllowed("shipping-service", AclOperation.READ)).containsExactly(KafkaAccess.PAYMENTS);
        assertThat(topicsAllowed("order-view", AclOperation.READ))
                .containsExactlyInAnyOrderElementsOf(KafkaAccess.EVENT_TOPICS);
        assertThat(topicsAllowed("dashboard", AclOperation.READ)).isEmpty();
        assertThat(topicsAllowed("schema-registry", AclOperation.READ)).isEmpty();
    }

    @Test
    void aServiceProvisionsEveryTopicItUsesAndTheirDeadLetterTopicsButWritesOnlyItsOwn() {
        OWNERS.forEach((topic, service) -> {
            KafkaAccess.Principal principal = KafkaAccess.principal(service);
            assertThat(principal.allows(ResourceType.TOPIC, topic, AclOperation.CREATE))
                    .as(service + " creates " + topic)
                    .isTrue();
            assertThat(principal.allows(ResourceType.TOPIC, KafkaAccess.deadLetters(topic), AclOperation.CREATE))
                    .isTrue();
            for (String read : topicsAllowed(service, AclOperation.READ)) {
                // whichever starts first creates it, with the same settings as its owner would
                assertThat(principal.allows(ResourceType.TOPIC, read, AclOperation.CREATE))
                        .as(service + " creates " + read)
                        .isTrue();
                assertThat(principal.allows(ResourceType.TOPIC, read, AclOperation.WRITE))
                        .as(service + " may not write " + read)
                        .isFalse();
                assertThat(principal.allows(ResourceType.TOPIC, KafkaAccess.deadLetters(read), AclOperation.CREATE))
                        .isTrue();
            }
        });
    }

    @Test
    void theDeadLetterToolsReplayQuarantinePurgeAndRecordOutcomesButReadNoEvents() {
        for (String tool : DEAD_LETTER_TOOLS) {
            KafkaAccess.Principal principal = KafkaAccess.principal(tool);
            for (String topic : KafkaAccess.EVENT_TOPICS) {
                String deadLetters = KafkaAccess.deadLetters(topic);
                assertThat(principal.allows(ResourceType.TOPIC, topic, AclOperation.WRITE))
                        .isTrue();
                assertThat(principal.allows(ResourceType.TOPIC, deadLetters, AclOperation.READ))
                        .isTrue();
                assertThat(principal.allows(ResourceType.TOPIC, deadLetters, AclOperation.DELETE))
                        .isTrue();
                // only the command line, whose bench replays the read side's topology, writes dead letters
                assertThat(principal.allows(ResourceType.TOPIC, deadLetters, AclOperation.WRITE))
                        .isEqualTo(tool.equals("orderflow"));
                for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.READ)) {
                    assertThat(principal.allows(ResourceType.TOPIC, topic + ".quarantine", operation))
                            .isTrue();
                    assertThat(principal.allows(ResourceType.TOPIC, "orderflow.dlq-outcomes", operation))
                            .isTrue();
                }
            }
            assertThat(principal.allows(ResourceType.TRANSACTIONAL_ID, "orderflow-dlq-admin", AclOperation.WRITE))
                    .isTrue();
        }
        assertThat(topicsAllowed("dashboard", AclOperation.READ)).isEmpty();
    }

    @Test
    void noPrincipalJoinsTheConsumerGroupsOfAnother() {
        for (KafkaAccess.Principal principal : KafkaAccess.PRINCIPALS) {
            for (String other : KafkaAccess.names()) {
                if (!other.equals(principal.name())) {
                    assertThat(principal.allows(ResourceType.GROUP, other, AclOperation.READ))
                            .as(principal.name() + " joins the group " + other)
                            .isFalse();
                    assertThat(principal.allows(ResourceType.GROUP, other + "-payments", AclOperation.READ))
                            .isFalse();
                }
            }
        }
        assertThat(KafkaAccess.principal("order-service")
                        .allows(ResourceType.GROUP, "order-service-payments", AclOperation.READ))
                .isTrue();
    }

    @Test
    void everyGrantAllowsOnlyWhatKafkaChecksOnItsResourceAndNothingToEveryone() {
        for (KafkaAccess.Principal principal : KafkaAccess.PRINCIPALS) {
            for (KafkaAccess.Grant grant : principal.grants()) {
                assertThat(MEANINGFUL).as(grant.toString()).containsKey(grant.type());
                assertThat(MEANINGFUL.get(grant.type()))
                        .as(principal.name() + ": " + grant)
                        .containsAll(grant.operations());
                assertThat(grant.name()).isNotEqualTo("*").isNotBlank();
            }
            assertThat(principal.aclBindings()).allSatisfy(binding -> {
                assertThat(binding.entry().principal()).isEqualTo("User:" + principal.name());
                assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
                assertThat(binding.entry().host()).isEqualTo("*");
            });
        }
    }

    @Test
    void thePrincipalsAreUniqueAndNoneIsASuperUser() {
        assertThat(KafkaAccess.names())
                .doesNotHaveDuplicates()
                .doesNotContain(KafkaAccess.BROKER, KafkaAccess.ADMIN)
                .containsExactly(
                        "order-service",
                        "inventory-service",
                        "payment-service",
                        "shipping-service",
                        "order-view",
                        "schema-registry",
                        "dashboard",
                        "orderflow");
        assertThatThrownBy(() -> KafkaAccess.principal("nobody")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaAccess.Principal(KafkaAccess.ADMIN, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grantsOnOneResourceAreMergedAndDescribeComesWithReadOrWrite() {
        KafkaAccess.Principal orderflow = KafkaAccess.principal("orderflow");
        assertThat(orderflow.grants().stream().filter(grant -> grant.covers(ResourceType.TOPIC, KafkaAccess.ORDERS)))
                .singleElement()
                .satisfies(grant -> assertThat(grant.operations())
                        .containsExactlyInAnyOrder(
                                AclOperation.READ,
                                AclOperation.WRITE,
                                AclOperation.DESCRIBE,
                                AclOperation.DESCRIBE_CONFIGS));
        KafkaAccess.Grant write = KafkaAccess.topic("t", AclOperation.WRITE);
        assertThat(write.allows(ResourceType.TOPIC, "t", AclOperation.DESCRIBE)).isTrue();
        assertThat(write.allows(ResourceType.TOPIC, "t", AclOperation.READ)).isFalse();
        assertThat(write.allows(ResourceType.TOPIC, "t2", AclOperation.WRITE)).isFalse();
        assertThat(KafkaAccess.topicPrefix("bench.", AclOperation.READ)
                        .allows(ResourceType.TOPIC, "bench.consumers", AclOperation.READ))
                .isTrue();
    }

    @Test
    void theMarkdownTableHasARowPerGrant() {
        String markdown = KafkaAccess.markdown();
        int grants = KafkaAccess.PRINCIPALS.stream()
                .mapToInt(principal -> principal.grants().size())
                .sum();
        assertThat(markdown.lines().count()).isEqualTo(2 + grants);
        assertThat(markdown)
                .contains("| `order-view` | TRANSACTIONAL_ID prefixed `order-view` | WRITE, DESCRIBE |")
                .contains(
                        "| `shipping-service` | TOPIC `payments.events` | READ, CREATE, DESCRIBE, DESCRIBE_CONFIGS |");
    }

    private static Set<String> principalsAllowed(ResourceType type, String name, AclOperation operation) {
        return KafkaAccess.PRINCIPALS.stream()
                .filter(principal -> principal.allows(type, name, operation))
                .map(KafkaAccess.Principal::name)
                .collect(Collectors.toSet());
    }

    private static Set<String> topicsAllowed(String principal, AclOperation operation) {
        return KafkaAccess.EVENT_TOPICS.stream()
                .filter(topic -> KafkaAccess.principal(principal).allows(ResourceType.TOPIC, topic, operation))
                .collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).collect(Collectors.toSet());
    }
}
