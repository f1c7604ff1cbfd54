package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orderflow.contracts.Topics;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.KafkaBroker;
import io.orderflow.devstack.KafkaCluster;
import io.orderflow.devstack.LocalCertificateAuthority;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.RawKafka;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.TestHttp;
import io.orderflow.provider.PaymentProviderServer;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The system as production runs it: three Kafka nodes (every topic three replicas, two in sync for a write), SASL_SSL
 * with SCRAM-SHA-512 over TLS, the KRaft authorizer with one principal and its ACLs per client, the registry over
 * HTTPS with a user each. Every service runs in its own JVM as its own principal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureClusterSagaIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String PRODUCT = "MN-003";
    private static final List<ServiceName> SAGA = List.of(
            ServiceName.ORDER,
            ServiceName.INVENTORY,
            ServiceName.PAYMENT,
            ServiceName.SHIPPING,
            ServiceName.ORDER_VIEW);

    private static final Map<ServiceName, ServiceProcess> services = new EnumMap<>(ServiceName.class);
    private static Path directory;
    private static DevStack stack;
    private static KafkaCluster cluster;
    private static PaymentProviderServer paymentProvider;
    private static Map<String, String> environment;
    private static Path logs;
    private static OrdersClient client;

    @BeforeAll
    static void startTheSystemOnASecureCluster() throws Exception {
        directory = Files.createTempDirectory("orderflow-secure-");
        stack = DevStack.start(StackSettings.forTests(directory).withBrokers(3).secured(), "320m");
        cluster = stack.kafka().orElseThrow();
        logs = directory.resolve("logs");
        paymentProvider = PaymentProviderServer.start(0);
        environment = new HashMap<>(stack.serviceEnvironment());
        environment.put(ServiceName.PAYMENT_PROVIDER_URL, paymentProvider.url());
        environment.put("VIEW_STATE_DIR", directory.resolve("view-state").toString());
        // The node failures below take a while to recover from on a small machine: the test is about losing and
        // doubling nothing, not about the payment deadline.
        environment.put("ORDER_PAYMENT_TIMEOUT", "3m");
        Map<ServiceName, Integer> ports = new EnumMap<>(ServiceName.class);
        for (ServiceName name : SAGA) {
            ports.put(name, Ports.free());
        }
        environment.putAll(ServiceName.urls(ports));
        for (ServiceName name : SAGA) {
            Map<String, String> own = new HashMap<>(environment);
            own.putAll(stack.clientEnvironment(name.displayName()));
            services.put(name, ServiceProcess.start(name, ports.get(name), own, logs, stack.tokens()));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitHealthy(WAIT);
        }
        client = new OrdersClient(
                services.get(ServiceName.ORDER).baseUrl(),
                services.get(ServiceName.INVENTORY).baseUrl(),
                stack.tokens());
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        for (ServiceProcess service : services.values()) {
            service.stop(Duration.ofSeconds(30));
        }
        if (paymentProvider != null) {
            paymentProvider.close();
        }
        if (stack != null) {
            stack.close();
            DevStack.wipe(directory);
        }
    }

    @Test
    @Order(1)
    void everyTopicTheSystemUsesHasThreeReplicasAndNeedsTwoInSyncForAWrite() throws Exception {
        String order = client.place(key(), PRODUCT, 1);
        await().atMost(WAIT).until(() -> client.status(order).equals("CONFIRMED"));

        try (Admin admin = Admin.create(cluster.adminClientConfig())) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get();
            List<String> expected = new ArrayList<>(List.of("__consumer_offsets", "__transaction_state", "_schemas"));
            for (var topic : Topics.ALL) {
                expected.add(topic.name());
                expected.add(topic.deadLetterTopic());
            }
            assertThat(topics).containsAll(expected);
            assertThat(topics)
                    .as("the read side's changelogs and repartition topics")
                    .anyMatch(name -> name.startsWith("order-view-") && name.endsWith("-changelog"))
                    .anyMatch(name -> name.startsWith("order-view-") && name.endsWith("-repartition"));

            Map<String, String> misfits = new TreeMap<>();
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(topics).allTopicNames().get();
            List<ConfigResource> resources = topics.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .toList();
            var configs = admin.describeConfigs(resources).all().get();
            for (String topic : topics) {
                int replicas = descriptions.get(topic).partitions().stream()
                        .mapToInt(partition -> partition.replicas().size())
                        .min()
                        .orElseThrow();
                String minInsync = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .get("min.insync.replicas")
                        .value();
                if (replicas != 3 || !minInsync.equals("2")) {
                    misfits.put(topic, replicas + " replicas, min.insync.replicas " + minInsync);
                }
            }
            assertThat(misfits).as("topics not replicated as production needs").isEmpty();
        }
    }

    @Test
    @Order(3)
    void aBrokerAndThenTheActiveControllerKilledUnderLoadLoseAndDoubleNothingAndNoServiceRestarts() throws Exception {
        SagaInvariants.setAvailable(stack, PRODUCT, 100_000);
        int before = client.available(PRODUCT);
        Map<ServiceName, Long> pids = new EnumMap<>(ServiceName.class);
        services.forEach((name, service) -> pids.put(name, service.pid()));
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(3);
        for (int t = 0; t < 3; t++) {
            String prefix = "secure-" + UUID.randomUUID() + "-" + t;
            load.submit(() -> placeAndCancelSome(prefix, loading, accepted, cancelRequested));
        }

        await().atMost(WAIT).until(() -> accepted.size() >= 30);
        KafkaBroker follower = nodeOtherThan(activeController());
        follower.kill();
        int atFirstKill = accepted.size();
        await().atMost(WAIT).until(() -> accepted.size() >= atFirstKill + 40);
        follower.restart();
        awaitEveryReplicaInSync();

        KafkaBroker controller = node(activeController());
        controller.kill();
        int atSecondKill = accepted.size();
        await().atMost(WAIT).until(() -> accepted.size() >= atSecondKill + 40);
        controller.restart();
        loading.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        awaitEveryReplicaInSync();

        Set<String> orders = Set.copyOf(accepted.values());
        Map<String, String> finalStatus = new HashMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, String> notEnded = new TreeMap<>();
            for (String order : orders) {
                String status = client.status(order);
                if (status.equals("CONFIRMED") || status.equals("CANCELLED")) {
                    finalStatus.put(order, status);
                } else {
                    notEnded.put(order, status);
                }
            }
            assertThat(notEnded).as("orders not ended").isEmpty();
        });
        List<String> problems = new ArrayList<>();
        try (RawKafka records = new RawKafka(stack.clientConfig("orderflow"))) {
            problems.addAll(SagaInvariants.notDecidedOnce(
                    records,
                    Topics.ORDERS.name(),
                    orders,
                    type -> type.equals("OrderConfirmed") || type.equals("OrderCancelled")));
        }
        SagaInvariants.awaitRefunds(orders, finalStatus, paymentProvider, WAIT);
        SagaInvariants.Money money = SagaInvariants.money(orders, finalStatus, paymentProvider);
        problems.addAll(money.problems());
        long confirmed = money.confirmed();
        assertThat(problems).isEmpty();
        assertThat(client.available(PRODUCT)).as("stock conserved").isEqualTo(before - (int) confirmed);
        assertThat(confirmed).as("orders confirmed through the failures").isPositive();
        for (ServiceProcess service : services.values()) {
            assertThat(service.pid()).isEqualTo(pids.get(service.name()));
            service.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(4)
    void aServiceConfiguredToWriteAnotherServicesTopicRefusesToStartNamingPrincipalTopicAndGrant() throws Exception {
        // payment-service, given shipping-service's credentials: it would write payments.events as another service
        Path shippingsFile = cluster.clientConfigFile("shipping-service");

        String log = failedStartOfPaymentService(shippingsFile);

        assertThat(log)
                .contains("Kafka does not allow User:shipping-service what this service needs")
                .contains("User:shipping-service may not WRITE topic payments.events")
                .contains("--allow-principal User:shipping-service --operation Write --topic payments.events");
    }

    @Test
    @Order(5)
    void aWrongPasswordStopsTheStartSayingWhoseAndHowToFixIt() throws Exception {
        Path wrongPassword = copyOfClientFile(
                "payment-service",
                properties -> properties.setProperty(
                        "sasl.jaas.config",
                        properties
                                .getProperty("sasl.jaas.config")
                                .replaceFirst("password=\"[^\"]*\"", "password=\"wrong\"")));

        assertThat(failedStartOfPaymentService(wrongPassword))
                .contains("Kafka refused the credentials of User:payment-service (SCRAM-SHA-512)")
                .contains("sasl.jaas.config");
    }

    @Test
    @Order(6)
    void aTrustStoreWithoutTheClustersAuthorityStopsTheStartNamingIt() throws Exception {
        LocalCertificateAuthority another = LocalCertificateAuthority.openOrCreate(directory.resolve("another-ca"));
        Path untrusting = copyOfClientFile(
                "payment-service",
                properties -> properties.setProperty(
                        "ssl.truststore.location", another.certificateFile().toString()));

        assertThat(failedStartOfPaymentService(untrusting))
                .contains("the TLS handshake of User:payment-service with Kafka")
                .contains("ssl.truststore.location (" + another.certificateFile() + ")");
    }

    @Test
    @Order(2)
    void theReadSideIsRebuiltFromTheTopicsUnderItsOwnPrincipal() throws Exception {
        String order = client.place(key(), PRODUCT, 1);
        await().atMost(WAIT).until(() -> client.status(order).equals("CONFIRMED"));
        String viewUrl = services.get(ServiceName.ORDER_VIEW).baseUrl();
        // as orderflow views rebuild waits: stopping commits and closes the streams, up to 30 s
        TestHttp view = new TestHttp(viewUrl, Duration.ofSeconds(60)).as(stack.tokens()::operator);

        // what orderflow views rebuild does
        assertThat(view.post("/views/admin/stop", null).statusCode()).isEqualTo(200);
        HttpResponse<String> reset = view.post("/views/admin/reset?force=true", null);
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(reset.body()).contains("\"groupDeleted\":true");
        assertThat(view.post("/views/admin/start?clean=true", null).statusCode())
                .isEqualTo(200);

        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        client.view(viewUrl, order).path("status").asString().equals("CONFIRMED"));
    }

    /** Starts a second payment-service with this client configuration, and returns its log once it gave up. */
    private static String failedStartOfPaymentService(Path clientConfig) throws Exception {
        Map<String, String> own = new HashMap<>(environment);
        own.put(DevStack.CLIENT_CONFIG, clientConfig.toString());
        Path ownLogs = logs.resolve("refused-" + UUID.randomUUID());
        ServiceProcess refused = ServiceProcess.start(ServiceName.PAYMENT, Ports.free(), own, ownLogs, stack.tokens());
        assertThatThrownBy(() -> refused.awaitHealthy(WAIT)).hasMessageContaining("exited with");
        return Files.readString(refused.log());
    }

    private interface Edit {
        void apply(Properties properties);
    }

    private static Path copyOfClientFile(String principal, Edit edit) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(cluster.clientConfigFile(principal))) {
            properties.load(in);
        }
        edit.apply(properties);
        Path copy = directory.resolve(principal + "-" + UUID.randomUUID() + ".properties");
        try (Writer out = Files.newBufferedWriter(copy)) {
            properties.store(out, "edited by " + SecureClusterSagaIT.class.getSimpleName());
        }
        return copy;
    }

    /** Places orders of one unit while loading; every fifth one is cancelled by its customer right after. */
    private static void placeAndCancelSome(
            String prefix, AtomicBoolean loading, Map<String, String> accepted, Set<String> cancelRequested) {
        AtomicInteger n = new AtomicInteger();
        while (loading.get()) {
            String key = prefix + "-" + n.get();
            try {
                String order = client.place(key, PRODUCT, 1);
                accepted.put(key, order);
                if (n.getAndIncrement() % 5 == 0) {
                    client.cancel(order);
                    cancelRequested.add(order);
                }
                // a steady load, not a flood: about 20 orders a second from three threads
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150));
            } catch (IOException e) {
                // an answer lost: asked again with the same key
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static int activeController() throws Exception {
        try (Admin admin = Admin.create(cluster.adminClientConfig())) {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        }
    }

    private static KafkaBroker node(int id) {
        return cluster.nodes().stream()
                .filter(node -> node.nodeId() == id)
                .findFirst()
                .orElseThrow();
    }

    private static KafkaBroker nodeOtherThan(int id) {
        return cluster.nodes().stream()
                .filter(node -> node.nodeId() != id)
                .findFirst()
                .orElseThrow();
    }

    /** Every partition of every topic has its three replicas in sync again: a node that came back caught up. */
    private static void awaitEveryReplicaInSync() {
        try (Admin admin = Admin.create(cluster.adminClientConfig())) {
            await().atMost(WAIT).untilAsserted(() -> {
                Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get();
                List<String> behind = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(topic -> topic.partitions().stream()
                                .filter(partition -> partition.isr().size() < 3)
                                .map(partition -> topic.name() + "-" + partition.partition()))
                        .toList();
                assertThat(behind).as("partitions with a replica out of sync").isEmpty();
            });
        }
    }

    private static String key() {
        return "secure-" + UUID.randomUUID();
    }
}
