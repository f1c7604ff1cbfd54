package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A secure cluster of three nodes: TLS from the stack's own authority with host names verified, SCRAM-SHA-512, the
 * KRaft authorizer, and each principal allowed exactly what {@link KafkaAccess} gives it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HEAP = "320m";

    private static Path directory;
    private static KafkaCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("orderflow-secure-");
        cluster = KafkaCluster.start(directory, 3, 0, HEAP, KafkaCluster.Security.SASL_SSL);
        admin = Admin.create(cluster.adminClientConfig());
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : KafkaAccess.EVENT_TOPICS) {
            topics.add(new NewTopic(topic, 3, (short) 3));
            topics.add(new NewTopic(KafkaAccess.deadLetters(topic), 3, (short) 3));
        }
        admin.createTopics(topics).all().get();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        DevStack.wipe(directory);
    }

    @Test
    void eachPrincipalWritesTheTopicsTheTableGivesItAndNoOther() {
        List<String> topics = Stream.concat(
                        KafkaAccess.EVENT_TOPICS.stream(),
                        KafkaAccess.EVENT_TOPICS.stream().map(KafkaAccess::deadLetters))
                .toList();
        for (String principal : cluster.principals()) {
            try (KafkaProducer<String, String> producer = producer(cluster.clientConfig(principal))) {
                for (String topic : topics) {
                    var sent = producer.send(new ProducerRecord<>(topic, "order-1", "from " + principal));
                    if (KafkaAccess.principal(principal).allows(ResourceType.TOPIC, topic, AclOperation.WRITE)) {
                        assertThat(sent).as(principal + " writes " + topic).succeedsWithin(WAIT);
                    } else {
                        assertThat(sent)
                                .as(principal + " may not write " + topic)
                                .failsWithin(WAIT)
                                .withThrowableOfType(ExecutionException.class)
                                .withCauseInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void onlyThePrincipalsWithReadOnPaymentsReadThem() throws Exception {
        String key = RawKafka.uniqueKey("order");
        try (KafkaProducer<String, String> producer = producer(cluster.clientConfig("payment-service"))) {
            producer.send(new ProducerRecord<>(KafkaAccess.PAYMENTS, key, "PaymentAuthorized"))
                    .get();
        }
        List<String> readers = new ArrayList<>();
        for (String principal : cluster.principals()) {
            boolean allowed = KafkaAccess.principal(principal)
                    .allows(ResourceType.TOPIC, KafkaAccess.PAYMENTS, AclOperation.READ);
            try (KafkaConsumer<String, String> consumer = consumer(cluster.clientConfig(principal), Optional.empty())) {
                List<TopicPartition> partitions = List.of(
                        new TopicPartition(KafkaAccess.PAYMENTS, 0),
                        new TopicPartition(KafkaAccess.PAYMENTS, 1),
                        new TopicPartition(KafkaAccess.PAYMENTS, 2));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                if (allowed) {
                    readers.add(principal);
                    List<String> keys = new ArrayList<>();
                    await().atMost(WAIT).untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                        assertThat(keys).as(principal + " reads payments").contains(key);
                    });
                } else {
                    await().atMost(WAIT)
                            .untilAsserted(() -> assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                                    .as(principal + " may not read payments")
                                    .isInstanceOf(TopicAuthorizationException.class));
                }
            }
        }
        assertThat(readers)
                .containsExactlyInAnyOrder(
                        "order-service", "inventory-service", "shipping-service", "order-view", "orderflow");
    }

    @Test
    void aServiceMayReadATopicOnlyInItsOwnConsumerGroups() {
        // shipping-service reads payments.events, but not as order-service.
        try (KafkaConsumer<String, String> consumer =
                consumer(cluster.clientConfig("shipping-service"), Optional.of("order-service-payments"))) {
            consumer.subscribe(List.of(KafkaAccess.PAYMENTS));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                            .isInstanceOf(GroupAuthorizationException.class));
        }
        try (KafkaConsumer<String, String> consumer =
                consumer(cluster.clientConfig("shipping-service"), Optional.of("shipping-service"))) {
            consumer.subscribe(List.of(KafkaAccess.PAYMENTS));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return !consumer.assignment().isEmpty();
            });
            consumer.commitSync();
        }
    }

    @Test
    void aWrongPasswordFailsTheAuthentication() {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig("order-service"));
        String jaas = (String) config.get(SaslConfigs.SASL_JAAS_CONFIG);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));

        assertThatThrownBy(() -> describeCluster(config)).hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void aTrustStoreOfAnotherAuthorityFailsTheHandshake() {
        LocalCertificateAuthority other = LocalCertificateAuthority.openOrCreate(directory.resolve("other-ca"));
        Map<String, Object> config = new HashMap<>(cluster.clientConfig("order-service"));
        config.put(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                other.certificateFile().toString());

        assertThatThrownBy(() -> describeCluster(config)).hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void aClientReachesTheClusterByHostNameAndVerifiesTheName() throws Exception {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig("order-service"));
        assertThat(config)
                .doesNotContainKey(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG)
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                .containsEntry(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:" + cluster.nodes().get(0).port());
        assertThat(describeCluster(config)).isNotBlank();

        // A server whose certificate the same authority signed for another name: the client refuses it for its name.
        LocalCertificateAuthority.Keystore elsewhere = cluster.certificateAuthority()
                .orElseThrow()
                .issueKeystore(
                        directory.resolve("elsewhere.p12"), "elsewhere", List.of("elsewhere.invalid"), List.of());
        try (SSLServerSocket server = tlsServer(elsewhere)) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.getLocalPort());
            assertThatThrownBy(() -> describeCluster(config))
                    .hasCauseInstanceOf(SslAuthenticationException.class)
                    .hasRootCauseInstanceOf(CertificateException.class)
                    .rootCause()
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void everyTopicHasThreeReplicasAndAWriteNeedsTwoAsOnAPlaintextCluster() throws Exception {
        // As the command line's bench would: its own topic, created with the broker's defaults, a transaction and a
        // consumer group.
        Map<String, Object> orderflow = cluster.clientConfig("orderflow");
        String topic = "bench.replicated-" + UUID.randomUUID();
        try (Admin bench = Admin.create(orderflow)) {
            bench.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                    .all()
                    .get();
        }
        Map<String, Object> transactional = new HashMap<>(orderflow);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench.copier-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = producer(transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "order-1", "placed"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer =
                consumer(orderflow, Optional.of("bench.group-" + UUID.randomUUID()))) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }

        assertThat(admin.describeCluster().nodes().get()).hasSize(3);
        Replication.assertReplicated(
                admin, List.of(topic, KafkaAccess.ORDERS, "__consumer_offsets", "__transaction_state"), 3, 2);
    }

    /**
     * What a service that creates the topics it reads at start-up meets: CreateTopics answers a principal without
     * CREATE on a topic "not authorized" even when the topic exists and the principal may describe it, and "exists"
     * only to one that may create it.
     */
    @Test
    void creatingAnExistingTopicWithoutCreateIsUnauthorizedNotTopicExists() {
        try (Admin dashboard = Admin.create(cluster.clientConfig("dashboard"))) {
            KafkaAccess.Principal principal = KafkaAccess.principal("dashboard");
            assertThat(principal.allows(ResourceType.TOPIC, KafkaAccess.INVENTORY, AclOperation.DESCRIBE))
                    .isTrue();
            assertThat(principal.allows(ResourceType.TOPIC, KafkaAccess.INVENTORY, AclOperation.CREATE))
                    .isFalse();

            assertThatThrownBy(() -> create(dashboard, KafkaAccess.INVENTORY))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin orderService = Admin.create(cluster.clientConfig("order-service"))) {
            assertThatThrownBy(() -> create(orderService, KafkaAccess.ORDERS))
                    .hasCauseInstanceOf(TopicExistsException.class);
        }
        try (Admin registry = Admin.create(cluster.clientConfig("schema-registry"))) {
            assertThatThrownBy(() -> create(registry, KafkaAccess.INVENTORY))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void eachPrincipalsClientFileHoldsItsClientConfigAndIsItsOwnersOnly() throws Exception {
        for (String principal : cluster.principals()) {
            Path file = cluster.clientConfigFile(principal);
            assertThat(file).isEqualTo(directory.resolve("secure/clients/" + principal + ".properties"));
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            Map<String, Object> config = cluster.clientConfig(principal);
            assertThat(properties).containsExactlyInAnyOrderEntriesOf(config);
            assertThat(config)
                    .containsEntry("basic.auth.credentials.source", "USER_INFO")
                    .containsEntry("schema.registry.ssl.truststore.type", "PEM")
                    .containsEntry(
                            "schema.registry.ssl.truststore.location",
                            cluster.caCertificate().orElseThrow().toString());
            assertThat((String) config.get("basic.auth.user.info")).startsWith(principal + ":");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
        assertThat(cluster.isSecure()).isTrue();
        assertThat(cluster.caCertificate()).contains(directory.resolve("secure/ca.pem"));
    }

    /**
     * Last, since it restarts the cluster: the authority and the passwords are those of the first start, so a client
     * configured then gets in (on the new ports), and the principals and ACLs are the table's again, whatever was
     * changed meanwhile.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aRestartKeepsTheAuthorityAndPasswordsAndPutsThePrincipalsAndAclsBackAsTheTableHasThem() throws Exception {
        byte[] authority = Files.readAllBytes(cluster.caCertificate().orElseThrow());
        Map<String, Object> configuredBefore = new HashMap<>(cluster.clientConfig("order-service"));
        AclBinding removed =
                KafkaAccess.principal("order-service").aclBindings().get(0);
        AclBinding added = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, KafkaAccess.PAYMENTS, PatternType.LITERAL),
                new AccessControlEntry("User:order-service", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        admin.deleteAcls(List.of(removed.toFilter())).all().get();
        admin.createAcls(List.of(added)).all().get();
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                        "intruder", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "secret")))
                .all()
                .get();
        admin.close();
        cluster.close();

        cluster = KafkaCluster.start(directory, 3, 0, HEAP, KafkaCluster.Security.SASL_SSL);
        admin = Admin.create(cluster.adminClientConfig());

        assertThat(Files.readAllBytes(cluster.caCertificate().orElseThrow())).isEqualTo(authority);
        configuredBefore.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        assertThat(cluster.clientConfig("order-service")).isEqualTo(configuredBefore);
        assertThat(describeCluster(configuredBefore)).isNotBlank();
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get())
                .containsExactlyInAnyOrderElementsOf(KafkaAccess.aclBindings());
        List<String> users = new ArrayList<>(List.of(KafkaAccess.BROKER, KafkaAccess.ADMIN));
        users.addAll(KafkaAccess.names());
        assertThat(admin.describeUserScramCredentials().users().get()).containsExactlyInAnyOrderElementsOf(users);
    }

    @Test
    void aPlaintextStartOfTheSecureClusterIsRefused() {
        assertThatThrownBy(() -> KafkaCluster.start(directory, 3, 0, HEAP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secure");
    }

    private static void create(Admin client, String topic) throws Exception {
        client.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static String describeCluster(Map<String, Object> config) throws Exception {
        Map<String, Object> shortTimeouts = new HashMap<>(config);
        shortTimeouts.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        shortTimeouts.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin client = Admin.create(shortTimeouts)) {
            return client.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static SSLServerSocket tlsServer(LocalCertificateAuthority.Keystore keystore) throws Exception {
        KeyStore store = KeyStore.getInstance(LocalCertificateAuthority.Keystore.TYPE);
        try (var in = Files.newInputStream(keystore.path())) {
            store.load(in, keystore.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, keystore.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (SSLSocket socket = (SSLSocket) server.accept()) {
                            socket.startHandshake();
                        } catch (IOException e) {
                            // the client refused the certificate, or the server was closed
                        }
                    }
                },
                "tls-elsewhere");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> clientConfig, Optional<String> group) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        group.ifPresent(id -> config.put(ConsumerConfig.GROUP_ID_CONFIG, id));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
