package io.orderflow.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a local Kafka cluster secure, kept in its {@value #DIRECTORY}/ directory: the certificate authority,
 * the passwords of every principal (made once, kept for later starts), each node's key store and each principal's
 * client configuration ({@code clients/<principal>.properties}).
 *
 * <p>Clients and nodes talk SASL_SSL with SCRAM-SHA-512 on the client listener; the controller listener is SSL with
 * client certificates (KRaft controllers do not do SCRAM), its principal the certificate's CN. The credentials of
 * {@value KafkaAccess#BROKER} and {@value KafkaAccess#ADMIN} are written at storage format time; the others, and every
 * ACL, are made by the stack as admin from {@link KafkaAccess} at each start.
 */
final class KafkaSecurity {

    static final String DIRECTORY = "secure";
    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    /** The subject's CN is the principal: {@code CN=broker,OU=…,O=…} is {@code User:broker}. */
    static final String PRINCIPAL_MAPPING_RULES = "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT";

    static final String CLIENT_LISTENER = "SASL_SSL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final Logger log = LoggerFactory.getLogger(KafkaSecurity.class);
    private static final String SECRETS_FILE = "secrets.properties";
    private static final String PASSWORD_KEY = "password.";
    private static final int SCRAM_ITERATIONS = 4096;
    private static final Duration PROVISIONING_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final LocalCertificateAuthority authority;
    private final Map<String, String> passwords;
    /** The schema registry every principal's registry client uses, once one serves this cluster. */
    private volatile String registryUrl;

    private KafkaSecurity(Path directory, LocalCertificateAuthority authority, Map<String, String> passwords) {
        this.directory = directory;
        this.authority = authority;
        this.passwords = passwords;
    }

    /** Whether the cluster in {@code clusterDirectory} was made secure. */
    static boolean isPresent(Path clusterDirectory) {
        return Files.exists(clusterDirectory.resolve(DIRECTORY).resolve(SECRETS_FILE));
    }

    /**
     * The security of the cluster in {@code clusterDirectory}: what an earlier start made is kept (the authority,
     * the passwords), a principal new to the table gets a password.
     */
    static KafkaSecurity openOrCreate(Path clusterDirectory) {
        Path directory = SecretFiles.directory(clusterDirectory.resolve(DIRECTORY));
        LocalCertificateAuthority authority = LocalCertificateAuthority.openOrCreate(directory);
        Path secretsFile = directory.resolve(SECRETS_FILE);
        Properties secrets = new Properties();
        try {
            if (Files.exists(secretsFile)) {
                try (Reader reader = Files.newBufferedReader(secretsFile)) {
                    secrets.load(reader);
                }
            }
            boolean added = false;
            Map<String, String> passwords = new LinkedHashMap<>();
            for (String principal : allPrincipals()) {
                String password = secrets.getProperty(PASSWORD_KEY + principal);
                if (password == null) {
                    password = SecretFiles.randomPassword();
                    secrets.setProperty(PASSWORD_KEY + principal, password);
                    added = true;
                }
                passwords.put(principal, password);
            }
            if (added) {
                StringWriter text = new StringWriter();
                secrets.store(text, "The passwords of the local Kafka's principals; made once, kept for later starts");
                SecretFiles.write(secretsFile, text.toString());
            }
            return new KafkaSecurity(directory, authority, Map.copyOf(passwords));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + secretsFile, e);
        }
    }

    private static List<String> allPrincipals() {
        List<String> names = new ArrayList<>(List.of(KafkaAccess.BROKER, KafkaAccess.ADMIN));
        names.addAll(KafkaAccess.names());
        return names;
    }

    LocalCertificateAuthority authority() {
        return authority;
    }

    /** A node's key and certificate ({@code CN=broker}, for 127.0.0.1 and localhost), issued anew at each start. */
    LocalCertificateAuthority.Keystore issueNodeKeystore(int nodeId) {
        return authority.issueServerKeystore(directory.resolve("node-" + nodeId + ".p12"), KafkaAccess.BROKER);
    }

    /** The settings that make a node secure, over those of a plaintext one. */
    Map<String, String> brokerConfig(int port, int controllerPort, LocalCertificateAuthority.Keystore keystore) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(
                "listeners",
                CLIENT_LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                        + controllerPort);
        config.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + port);
        config.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL," + CONTROLLER_LISTENER + ":SSL");
        config.put("inter.broker.listener.name", CLIENT_LISTENER);
        // Clients and brokers: SCRAM-SHA-512 over TLS, nothing else.
        config.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
        config.put(
                "listener.name." + CLIENT_LISTENER.toLowerCase() + "." + SCRAM_MECHANISM.toLowerCase()
                        + ".sasl.jaas.config",
                jaas(KafkaAccess.BROKER));
        // The node's certificate serves both listeners and is its client certificate towards the controllers.
        config.put("ssl.keystore.type", LocalCertificateAuthority.Keystore.TYPE);
        config.put("ssl.keystore.location", keystore.path().toString());
        config.put("ssl.keystore.password", keystore.password());
        config.put("ssl.key.password", keystore.password());
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", authority.certificateFile().toString());
        config.put("listener.name." + CONTROLLER_LISTENER.toLowerCase() + ".ssl.client.auth", "required");
        config.put("ssl.principal.mapping.rules", PRINCIPAL_MAPPING_RULES);
        config.put("authorizer.class.name", STANDARD_AUTHORIZER);
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:" + KafkaAccess.BROKER + ";User:" + KafkaAccess.ADMIN);
        return config;
    }

    /** The environment of {@link KafkaStorageFormat}: the SCRAM credentials of the broker and admin principals. */
    Map<String, String> formatEnvironment() {
        String credentials = List.of(KafkaAccess.BROKER, KafkaAccess.ADMIN).stream()
                .map(name -> SCRAM_MECHANISM + "=[name=" + name + ",password=" + passwords.get(name) + "]")
                .collect(Collectors.joining("\n"));
        return Map.of(KafkaStorageFormat.SCRAM_CREDENTIALS, credentials);
    }

    /** What a Kafka client needs to connect as the principal, without the schema registry's settings. */
    Map<String, Object> kafkaClientConfig(String bootstrapServers, String principal) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
        config.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(principal));
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                authority.certificateFile().toString());
        return config;
    }

    /**
     * The principal's whole client configuration: Kafka's, and the schema registry's as Confluent's clients name
     * it (the registry knows the same principals and passwords).
     */
    Map<String, Object> clientConfig(String bootstrapServers, String principal) {
        Map<String, Object> config = kafkaClientConfig(bootstrapServers, principal);
        if (registryUrl != null) {
            config.put("schema.registry.url", registryUrl);
        }
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", principal + ":" + password(principal));
        config.put(
                "schema.registry.ssl.truststore.location",
                authority.certificateFile().toString());
        config.put("schema.registry.ssl.truststore.type", "PEM");
        return config;
    }

    void registryUrl(String url) {
        this.registryUrl = url;
    }

    Path clientConfigFile(String principal) {
        password(principal);
        return directory.resolve("clients").resolve(principal + ".properties");
    }

    /** Writes every principal's client configuration, the admin's included: the ports may differ at each start. */
    void writeClientConfigs(String bootstrapServers) {
        SecretFiles.directory(directory.resolve("clients"));
        for (String principal : allPrincipals()) {
            if (principal.equals(KafkaAccess.BROKER)) {
                continue;
            }
            StringBuilder text = new StringBuilder("# Kafka and schema registry clients as ")
                    .append(principal)
                    .append(", written by orderflow devstack at every start of the cluster\n");
            clientConfig(bootstrapServers, principal)
                    .forEach((key, value) -> text.append(key)
                            .append('=')
                            .append(String.valueOf(value).replace("\\", "\\\\"))
                            .append('\n'));
            SecretFiles.write(clientConfigFile(principal), text.toString());
        }
    }

    private String password(String principal) {
        String password = passwords.get(principal);
        if (password == null || principal.equals(KafkaAccess.BROKER)) {
            throw new IllegalArgumentException("no Kafka principal " + principal + " for clients; there are "
                    + KafkaAccess.names() + " and " + KafkaAccess.ADMIN);
        }
        return password;
    }

    private String jaas(String principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                + "\" password=\"" + passwords.get(principal) + "\";";
    }

    /**
     * Makes the cluster's principals and ACLs those of {@link KafkaAccess}, as admin: ACLs the table does not list
     * are deleted, missing ones created, every principal's SCRAM credential written (again), the credentials of
     * principals no longer in the table deleted. Then waits until each node knows them all, so that a client may
     * connect to any at once.
     */
    void provision(String bootstrapServers, List<KafkaBroker> nodes) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            Set<AclBinding> wanted = KafkaAccess.aclBindings();
            Set<AclBinding> present = new HashSet<>(
                    admin.describeAcls(AclBindingFilter.ANY).values().get());
            List<AclBindingFilter> stale = present.stream()
                    .filter(binding -> !wanted.contains(binding))
                    .map(AclBinding::toFilter)
                    .toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get();
            }
            List<AclBinding> missing = wanted.stream()
                    .filter(binding -> !present.contains(binding))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get();
            }

            List<UserScramCredentialAlteration> alterations = new ArrayList<>();
            Set<String> known = new HashSet<>(allPrincipals());
            for (UserScramCredentialsDescription user :
                    admin.describeUserScramCredentials().all().get().values()) {
                if (!known.contains(user.name())) {
                    user.credentialInfos()
                            .forEach(info ->
                                    alterations.add(new UserScramCredentialDeletion(user.name(), info.mechanism())));
                }
            }
            for (String principal : KafkaAccess.names()) {
                alterations.add(new UserScramCredentialUpsertion(
                        principal,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                        passwords.get(principal)));
            }
            admin.alterUserScramCredentials(alterations).all().get();
            log.info(
                    "Kafka principals and ACLs as in the table: {} principals, {} ACLs ({} created, {} deleted)",
                    KafkaAccess.names().size(),
                    wanted.size(),
                    missing.size(),
                    stale.size());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the Kafka principals and ACLs", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the Kafka principals and ACLs", e);
        }
        nodes.forEach(this::awaitProvisioned);
    }

    /**
     * Waits until the last principal the table lists authenticates on the node: the node has applied the metadata
     * up to its credential, the ACLs written before included.
     */
    private void awaitProvisioned(KafkaBroker node) {
        String probe = KafkaAccess.names().get(KafkaAccess.names().size() - 1);
        Map<String, Object> config = kafkaClientConfig(node.bootstrapServers(), probe);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        Instant deadline = Instant.now().plus(PROVISIONING_TIMEOUT);
        while (true) {
            // A client whose authentication failed backs off from the node: each try has a client of its own.
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthenticationException)
                        || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "Kafka node " + node.nodeId() + " does not accept " + probe + "; see " + node.logFile(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka node " + node.nodeId() + " did not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka node " + node.nodeId(), e);
            }
        }
    }

    /** The stack's own admin client: a super user. */
    Map<String, Object> adminConfig(String bootstrapServers) {
        return kafkaClientConfig(bootstrapServers, KafkaAccess.ADMIN);
    }
}
