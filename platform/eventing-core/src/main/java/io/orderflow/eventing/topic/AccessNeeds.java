package io.orderflow.eventing.topic;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * What a service must be allowed to do on the cluster: write the topics it owns, read the topics it consumes, write
 * the dead-letter topics of those (its failed records go there), and read as its consumer groups. On a cluster with
 * ACLs each of these is a grant its principal needs.
 *
 * @param topics each topic and the operations needed on it
 * @param groups the consumer groups the service reads as
 */
public record AccessNeeds(Map<String, Set<AclOperation>> topics, Set<String> groups) {

    public AccessNeeds {
        Map<String, Set<AclOperation>> copy = new LinkedHashMap<>();
        topics.forEach((name, operations) -> copy.put(name, Set.copyOf(operations)));
        topics = Collections.unmodifiableMap(copy);
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
    }

    /**
     * @param written  the topics the service writes (its own)
     * @param consumed the topics it reads, and where its failed records go
     * @param groups   its consumer groups
     */
    public static AccessNeeds of(Collection<Topic> written, Collection<Topic> consumed, Collection<String> groups) {
        Map<String, Set<AclOperation>> topics = new LinkedHashMap<>();
        written.forEach(topic -> need(topics, topic.name(), AclOperation.WRITE));
        consumed.forEach(topic -> {
            need(topics, topic.name(), AclOperation.READ);
            need(topics, topic.deadLetterTopic(), AclOperation.WRITE);
        });
        return new AccessNeeds(topics, new LinkedHashSet<>(groups));
    }

    /** These needs, and reading each topic's configuration: what a service that checks their replication needs. */
    public AccessNeeds readingConfigs() {
        Map<String, Set<AclOperation>> withConfigs = new LinkedHashMap<>();
        topics.forEach((topic, operations) -> {
            Set<AclOperation> more = EnumSet.of(AclOperation.DESCRIBE_CONFIGS);
            more.addAll(operations);
            withConfigs.put(topic, more);
        });
        return new AccessNeeds(withConfigs, groups);
    }

    private static void need(Map<String, Set<AclOperation>> topics, String topic, AclOperation operation) {
        topics.computeIfAbsent(topic, name -> EnumSet.noneOf(AclOperation.class))
                .add(operation);
    }
}
