package io.orderflow.eventing.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether this client may reach the cluster and do what its service needs, asked once at start-up and answered so
 * that a person can act on it: the principal, the resource, the fix. Without it a wrong password, an untrusted
 * certificate or a missing ACL shows up later and somewhere else: a relay that keeps retrying, a consumer that never
 * joins its group.
 */
public final class ClusterAccess {

    /** The SCRAM or PLAIN user a JAAS configuration logs in as. */
    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final Map<String, Object> adminConfig;

    public ClusterAccess(Map<String, Object> adminConfig) {
        this.adminConfig = Map.copyOf(adminConfig);
    }

    /** The principal this client authenticates as, as ACLs name it ({@code User:order-service}). */
    public String principal() {
        Object jaas = adminConfig.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas != null) {
            Matcher user = USERNAME.matcher(String.valueOf(jaas));
            if (user.find()) {
                return "User:" + user.group(1);
            }
        }
        if ("SSL".equalsIgnoreCase(protocol())) {
            return "the principal of the certificate in " + adminConfig.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
        }
        return "User:ANONYMOUS";
    }

    /** Connects and authenticates, or says why it cannot and what to fix. */
    public void connect(Duration timeout) {
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers() + " did not answer within " + timeout
                            + "; are KAFKA_BOOTSTRAP_SERVERS and security.protocol (" + protocol() + ") right?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka", e);
        }
    }

    /**
     * Every grant the service lacks, each naming the principal, the resource and the command that grants it; empty
     * when it has them all, or when the cluster does not say (no authorizer). A topic that does not exist yet is
     * left to the provisioner.
     */
    public List<String> missing(AccessNeeds needs, Duration timeout) {
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, KafkaFuture<TopicDescription>> topics = admin.describeTopics(
                            needs.topics().keySet(),
                            new DescribeTopicsOptions()
                                    .includeAuthorizedOperations(true)
                                    .timeoutMs((int) timeout.toMillis()))
                    .topicNameValues();
            needs.topics().forEach((topic, operations) -> {
                try {
                    Set<AclOperation> allowed = topics.get(topic)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .authorizedOperations();
                    operations.stream()
                            .filter(operation -> allowed != null && !allowed.contains(operation))
                            .forEach(operation -> missing.add(grant(operation, "topic", topic)));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        operations.forEach(operation -> missing.add(grant(operation, "topic", topic)));
                    } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw explain(e);
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka did not describe " + topic + " within " + timeout, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking access to Kafka", e);
                }
            });
            if (!needs.groups().isEmpty()) {
                Map<String, KafkaFuture<ConsumerGroupDescription>> groups = admin.describeConsumerGroups(
                                needs.groups(),
                                new DescribeConsumerGroupsOptions()
                                        .includeAuthorizedOperations(true)
                                        .timeoutMs((int) timeout.toMillis()))
                        .describedGroups();
                for (String group : needs.groups()) {
                    try {
                        Set<AclOperation> allowed = groups.get(group)
                                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                                .authorizedOperations();
                        if (allowed != null && !allowed.isEmpty() && !allowed.contains(AclOperation.READ)) {
                            missing.add(grant(AclOperation.READ, "group", group));
                        }
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof GroupAuthorizationException) {
                            missing.add(grant(AclOperation.READ, "group", group));
                        } else if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                            throw explain(e);
                        }
                    } catch (TimeoutException e) {
                        throw new IllegalStateException(
                                "Kafka did not describe group " + group + " within " + timeout, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking access to Kafka", e);
        }
        return missing;
    }

    /** The start-up failure for grants the service lacks. */
    public IllegalStateException refusal(List<String> missing) {
        return new IllegalStateException("Kafka does not allow " + principal() + " what this service needs: "
                + String.join("; ", missing)
                + ". If the service should not do this, its configuration is wrong, not the ACLs.");
    }

    /** A failure to reach or use the cluster, told as what to fix when it is one of authentication. */
    public RuntimeException explain(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof SaslAuthenticationException) {
            String mechanism = String.valueOf(adminConfig.getOrDefault(SaslConfigs.SASL_MECHANISM, "GSSAPI"));
            String reset = mechanism.startsWith("SCRAM-")
                    ? "; an operator sets a new one with kafka-configs --alter --entity-type users --entity-name"
                            + " <user> --add-config '" + mechanism + "=[password=...]'"
                    : "";
            return new IllegalStateException(
                    "Kafka refused the credentials of " + principal() + " (" + mechanism + "): " + cause.getMessage()
                            + " Fix: sasl.jaas.config in the client configuration (ORDERFLOW_CLIENT_CONFIG) must hold"
                            + " this user's current password" + reset + ".",
                    cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new IllegalStateException(
                    "the TLS handshake of " + principal() + " with Kafka at " + bootstrapServers() + " failed: "
                            + deepestMessage(cause) + ". Fix: ssl.truststore.location ("
                            + adminConfig.get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)
                            + ") must hold the certificate of the CA that signed the brokers' certificates, and each"
                            + " broker's certificate must name the host the client connects to.",
                    cause);
        }
        if (cause instanceof TopicAuthorizationException denied) {
            return new IllegalStateException(
                    "Kafka does not allow " + principal() + " to use topic(s) " + denied.unauthorizedTopics()
                            + ": grant the ACLs the service needs (docs/production.md), or fix its configuration.",
                    cause);
        }
        return cause instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException(cause.getMessage(), cause);
    }

    private String grant(AclOperation operation, String type, String name) {
        String op = operation.name().charAt(0)
                + operation.name().substring(1).toLowerCase().replace("_c", "C");
        // A certificate's principal is whatever the brokers' mapping rules make of its name: not ours to spell.
        String allowed = principal().startsWith("User:") ? principal() : "User:<that principal>";
        return principal() + " may not " + operation + " " + type + " " + name + " (grant: kafka-acls --add"
                + " --allow-principal " + allowed + " --operation " + op + " --" + type + " " + name + ")";
    }

    private String protocol() {
        return String.valueOf(adminConfig.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }

    private String bootstrapServers() {
        return String.valueOf(adminConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    private static String deepestMessage(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage();
    }
}
