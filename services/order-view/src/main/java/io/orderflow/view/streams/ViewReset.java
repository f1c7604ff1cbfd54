package io.orderflow.view.streams;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.topic.Topic;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * What Kafka's {@code kafka-streams-application-reset} tool does, for this application: with every instance
 * stopped, forget its progress (its consumer group) and delete its internal topics (changelogs, repartition topics),
 * so that the next start reads every source topic from its earliest record. Each instance wipes its local state on
 * that start. The tool itself is not used because it comes with Kafka Connect's runtime and another logging stack.
 */
public final class ViewReset implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> adminConfig;
    private final String applicationId;
    private Admin admin;

    public ViewReset(Map<String, Object> adminConfig, String applicationId) {
        this.adminConfig = adminConfig;
        this.applicationId = applicationId;
    }

    /** One client for every call: progress is polled several times a second during a rebuild. */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    /** What the reset removed. */
    public record Outcome(boolean groupDeleted, List<String> deletedTopics) {}

    /**
     * How far the application has read: committed and end offsets, summed over its partitions.
     *
     * @param sourceRecords the end offsets of the source topics alone: the size of the history
     */
    public record Progress(long committed, long end, long sourceRecords) {
        public long behind() {
            return Math.max(0, end - committed);
        }
    }

    /**
     * Resets the application.
     *
     * @param force also when the group still lists members. A stopped instance stays listed until its session
     *              times out (a Kafka Streams member does not leave its group on close), so a caller that stopped
     *              every instance itself may force; one that forces while an instance still runs corrupts that
     *              instance's views.
     * @throws IllegalStateException naming the members, when the group has some and {@code force} is off
     */
    public Outcome reset(boolean force) {
        Admin admin = admin();
        try {
            Set<String> members = members(admin);
            if (!members.isEmpty() && !force) {
                throw new IllegalStateException("the group of " + applicationId + " still lists " + members
                        + ": stop every instance first; once every instance is stopped, reset with force=true");
            }
            if (!members.isEmpty()) {
                admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions())
                        .all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            boolean groupExists = groupKnown(admin);
            if (groupExists) {
                admin.deleteConsumerGroups(List.of(applicationId)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<String> internal = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(name -> name.startsWith(applicationId + "-")
                            && (name.endsWith("-changelog") || name.endsWith("-repartition")))
                    .sorted()
                    .toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return new Outcome(groupExists, internal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting " + applicationId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reset " + applicationId + ": " + e.getMessage(), e);
        }
    }

    /**
     * How far the application has read: its source topics and its own repartition topics, whose records are the
     * second half of the work (the aggregations after the order view).
     */
    public Progress progress() {
        Admin admin = admin();
        try {
            Set<String> sources = Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet());
            Set<String> read = new HashSet<>(sources);
            // Every partition of them, committed yet or not: a sum over the committed ones only would call the
            // application done while its first repartition records wait.
            admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                    .forEach(read::add);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Set<TopicPartition> partitions = admin
                    .describeTopics(read)
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .values()
                    .stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toSet());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                            .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long end = 0;
            long done = 0;
            long sourceRecords = 0;
            for (var partition : ends.entrySet()) {
                end += partition.getValue().offset();
                if (sources.contains(partition.getKey().topic())) {
                    sourceRecords += partition.getValue().offset();
                }
                OffsetAndMetadata offset = committed.get(partition.getKey());
                done += offset == null ? 0 : offset.offset();
            }
            return new Progress(done, end, sourceRecords);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the progress of " + applicationId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the progress of " + applicationId + ": " + e.getMessage(), e);
        }
    }

    private Set<String> members(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(applicationId);
            return group.members().stream()
                    .map(member -> member.host() + " " + member.clientId())
                    .collect(Collectors.toSet());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Set.of();
            }
            throw e;
        }
    }

    private boolean groupKnown(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        return admin
                .listGroups(ListGroupsOptions.forConsumerGroups())
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .stream()
                .anyMatch(group -> group.groupId().equals(applicationId));
    }
}
