package io.orderflow.eventing.clientconfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything a client of the system needs to reach Kafka and the schema registry, from one file: the file
 * {@value #VARIABLE} names, in Kafka's client format (as Confluent Cloud hands it out). Its registry settings, under
 * Confluent's names ({@code schema.registry.url}, {@code basic.auth.credentials.source=USER_INFO},
 * {@code basic.auth.user.info}, {@code schema.registry.ssl.truststore.location}, {@code .type}, {@code .password}),
 * become the {@link RegistryAccess}; every other setting is a Kafka client setting, given to every producer,
 * consumer, admin client and Kafka Streams application as it is.
 *
 * <p>{@value #BOOTSTRAP_VARIABLE} and {@value #REGISTRY_VARIABLE}, where set, win over the file's
 * {@code bootstrap.servers} and {@code schema.registry.url}. Without the file, those two variables are all there is.
 *
 * <p>Every mistake in the file is a {@link ClientConfigException} that says what is wrong and where. No secret is
 * ever shown: {@link #toString()} hides {@code sasl.jaas.config}, passwords and the registry's user info.
 */
public final class ClientConfig {

    public static final String VARIABLE = "ORDERFLOW_CLIENT_CONFIG";
    public static final String BOOTSTRAP_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_VARIABLE = "SCHEMA_REGISTRY_URL";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String REGISTRY_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String REGISTRY_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";

    private static final String REGISTRY_PREFIX = "schema.registry.";

    /** The registry client's settings. */
    private static final List<String> REGISTRY_SETTINGS = List.of(
            REGISTRY_URL,
            CREDENTIALS_SOURCE,
            USER_INFO,
            REGISTRY_TRUSTSTORE_LOCATION,
            REGISTRY_TRUSTSTORE_TYPE,
            REGISTRY_TRUSTSTORE_PASSWORD);

    private static final String USER_INFO_SOURCE = "USER_INFO";

    /** Nothing configured: no file and neither variable. */
    public static final ClientConfig NONE = new ClientConfig(null, Map.of(), null, RegistryAccess.NONE);

    private final Path file;
    private final Map<String, String> kafka;
    private final String registryUrl;
    private final RegistryAccess registryAccess;

    private ClientConfig(Path file, Map<String, String> kafka, String registryUrl, RegistryAccess registryAccess) {
        this.file = file;
        this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
        this.registryUrl = registryUrl;
        this.registryAccess = registryAccess;
    }

    /** The configuration of this process's environment. */
    public static ClientConfig fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /**
     * The configuration the variables give: the file {@value #VARIABLE} names, if it names one, with
     * {@value #BOOTSTRAP_VARIABLE} and {@value #REGISTRY_VARIABLE} on top where they are set.
     *
     * @param variables the value of an environment variable by name, null when it is not set
     * @throws ClientConfigException when the file cannot be read or holds a setting that cannot be used
     */
    public static ClientConfig fromEnvironment(Function<String, String> variables) {
        ClientConfig config = nonBlank(variables.apply(VARIABLE))
                .map(name -> load(Path.of(name), VARIABLE + " names " + name))
                .orElse(NONE);
        Optional<String> bootstrap = nonBlank(variables.apply(BOOTSTRAP_VARIABLE));
        Optional<String> registry = nonBlank(variables.apply(REGISTRY_VARIABLE));
        Map<String, String> kafka = new TreeMap<>(config.kafka);
        bootstrap.ifPresent(servers -> kafka.put(BOOTSTRAP_SERVERS, servers));
        return new ClientConfig(config.file, kafka, registry.orElse(config.registryUrl), config.registryAccess);
    }

    /**
     * The configuration in a file, alone (no environment variable is read).
     *
     * @throws ClientConfigException when the file cannot be read or holds a setting that cannot be used
     */
    public static ClientConfig load(Path file) {
        return load(file, "client configuration " + file);
    }

    private static ClientConfig load(Path file, String named) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new ClientConfigException(named + ", which does not exist");
        } catch (AccessDeniedException e) {
            throw new ClientConfigException(named + ", which cannot be read: permission denied");
        } catch (IOException | IllegalArgumentException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : e.getMessage();
            throw new ClientConfigException(named + ", which cannot be read: " + reason, e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties
                .stringPropertyNames()
                .forEach(key ->
                        settings.put(key.trim(), properties.getProperty(key).trim()));
        try {
            return parse(file.toAbsolutePath(), settings);
        } catch (ClientConfigException e) {
            throw new ClientConfigException(named + ": " + e.getMessage(), e.getCause());
        }
    }

    private static ClientConfig parse(Path file, Map<String, String> settings) {
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> registry = new TreeMap<>();
        settings.forEach((key, value) -> {
            // Blank is Kafka's one way to switch host-name verification off: a choice, refused nowhere else either.
            if (value.isBlank() && !key.equals("ssl.endpoint.identification.algorithm")) {
                // Left as it is, a blank bootstrap.servers passes for an external Kafka and a blank security
                // setting reaches the client, which says something else is wrong.
                throw new ClientConfigException(key + " is blank: give it a value, or remove the line");
            }
            // Confluent's clients take the basic-auth settings with the registry's prefix too.
            String name =
                    key.startsWith(REGISTRY_PREFIX + "basic.auth.") ? key.substring(REGISTRY_PREFIX.length()) : key;
            if (REGISTRY_SETTINGS.contains(name)) {
                registry.put(name, value);
            } else if (key.startsWith(REGISTRY_PREFIX)) {
                throw new ClientConfigException(
                        key + " is not supported: the registry client takes " + String.join(", ", REGISTRY_SETTINGS));
            } else {
                kafka.put(key, value);
            }
        });
        checkKafkaStores(kafka);
        return new ClientConfig(
                file, kafka, nonBlank(registry.get(REGISTRY_URL)).orElse(null), registryAccess(registry));
    }

    private static RegistryAccess registryAccess(Map<String, String> registry) {
        Optional<String> source = nonBlank(registry.get(CREDENTIALS_SOURCE));
        Optional<String> userInfo = nonBlank(registry.get(USER_INFO));
        if (source.isPresent() && !source.get().equalsIgnoreCase(USER_INFO_SOURCE)) {
            throw new ClientConfigException(CREDENTIALS_SOURCE + "=" + source.get() + " is not supported: set "
                    + CREDENTIALS_SOURCE + "=" + USER_INFO_SOURCE + " and " + USER_INFO + "=user:password");
        }
        if (source.isPresent() && userInfo.isEmpty()) {
            throw new ClientConfigException(CREDENTIALS_SOURCE + "=" + USER_INFO_SOURCE + " needs " + USER_INFO
                    + "=user:password, which is missing");
        }
        if (userInfo.isPresent() && userInfo.get().indexOf(':') < 0) {
            throw new ClientConfigException(
                    USER_INFO + " must be user:password (an API key and its secret); the value given has no colon");
        }
        Optional<Truststore> truststore = nonBlank(registry.get(REGISTRY_TRUSTSTORE_LOCATION))
                .map(location -> store(
                        REGISTRY_TRUSTSTORE_LOCATION,
                        location,
                        registry.get(REGISTRY_TRUSTSTORE_TYPE),
                        registry.get(REGISTRY_TRUSTSTORE_PASSWORD)));
        if (truststore.isEmpty() && registry.containsKey(REGISTRY_TRUSTSTORE_TYPE)) {
            throw new ClientConfigException(
                    REGISTRY_TRUSTSTORE_TYPE + " is set but " + REGISTRY_TRUSTSTORE_LOCATION + " is missing");
        }
        return new RegistryAccess(userInfo.orElse(null), truststore.orElse(null));
    }

    /** Kafka reads its own stores; what can be checked here is said here, rather than in a client's stack trace. */
    private static void checkKafkaStores(Map<String, String> kafka) {
        nonBlank(kafka.get("ssl.truststore.location")).ifPresent(location -> {
            String type = nonBlank(kafka.get("ssl.truststore.type")).orElse(Truststore.JKS);
            if (type.equalsIgnoreCase(Truststore.PEM)
                    && nonBlank(kafka.get("ssl.truststore.password")).isPresent()) {
                throw new ClientConfigException("ssl.truststore.password is set with ssl.truststore.type=PEM, which"
                        + " Kafka refuses: a PEM truststore has no password; remove it");
            }
            if (Truststore.TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                store("ssl.truststore.location", location, type, kafka.get("ssl.truststore.password"));
            } else {
                readable("ssl.truststore.location", location);
            }
        });
        nonBlank(kafka.get("ssl.keystore.location")).ifPresent(location -> readable("ssl.keystore.location", location));
    }

    /** A truststore that has been read once, so that a mistake shows now. */
    private static Truststore store(String setting, String location, String type, String password) {
        try {
            Truststore truststore = new Truststore(Path.of(location), type, password);
            truststore.load();
            return truststore;
        } catch (ClientConfigException e) {
            throw new ClientConfigException(setting + ": " + e.getMessage(), e.getCause());
        }
    }

    private static void readable(String setting, String location) {
        if (!Files.isReadable(Path.of(location))) {
            throw new ClientConfigException(setting + ": " + location
                    + (Files.exists(Path.of(location)) ? " cannot be read" : " does not exist"));
        }
    }

    /** The file the configuration was read from, as an absolute path; empty when none was named. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The Kafka client settings, {@code bootstrap.servers} included when known, in order of their names. */
    public Map<String, Object> kafka() {
        return Collections.unmodifiableMap(new TreeMap<>(kafka));
    }

    /** The Kafka client settings with these bootstrap servers: those of a cluster the caller started itself. */
    public Map<String, Object> kafka(String bootstrapServers) {
        Map<String, Object> settings = new TreeMap<>(kafka);
        settings.put(BOOTSTRAP_SERVERS, bootstrapServers);
        return Collections.unmodifiableMap(settings);
    }

    /** Whether the Kafka clients have more than their bootstrap servers to go by: security, and any other setting. */
    public boolean hasKafkaSettings() {
        return kafka.keySet().stream().anyMatch(key -> !key.equals(BOOTSTRAP_SERVERS));
    }

    /** Whether Kafka is reached through anything but plain TCP: a {@code security.protocol} other than PLAINTEXT. */
    public boolean securesKafka() {
        return nonBlank(kafka.get("security.protocol"))
                .filter(protocol -> !protocol.equalsIgnoreCase("PLAINTEXT"))
                .isPresent();
    }

    /**
     * Checks that a launcher may start a local Kafka and registry, plain and unsecured, for what this configuration
     * does not name, and returns it.
     *
     * @throws ClientConfigException when it secures a Kafka it does not name, which would be the local broker, or
     *                               names a secured Kafka but no registry, which would be a local registry that
     *                               reaches Kafka by its bootstrap servers alone
     */
    public ClientConfig checkedForLocalStack() {
        if (securesKafka() && bootstrapServers().isEmpty()) {
            throw new ClientConfigException(VARIABLE + " (" + file + ") sets security.protocol but no "
                    + BOOTSTRAP_SERVERS + ": the local broker speaks PLAINTEXT; add the secured cluster's "
                    + BOOTSTRAP_SERVERS + ", or unset " + VARIABLE + " to run on the local stack");
        }
        if (securesKafka() && registryUrl().isEmpty()) {
            throw new ClientConfigException(VARIABLE + " (" + file + ") names a secured Kafka but no " + REGISTRY_URL
                    + ": a local registry reaches Kafka by its bootstrap servers alone; add the cluster's "
                    + REGISTRY_URL + " (or set " + REGISTRY_VARIABLE + ")");
        }
        return this;
    }

    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(kafka.get(BOOTSTRAP_SERVERS));
    }

    public Optional<String> registryUrl() {
        return Optional.ofNullable(registryUrl);
    }

    public RegistryAccess registryAccess() {
        return registryAccess;
    }

    @Override
    public String toString() {
        return "ClientConfig[file=" + (file == null ? "none" : file) + ", kafka=" + Secrets.redacted(kafka)
                + ", " + REGISTRY_URL + "=" + (registryUrl == null ? "none" : registryUrl) + ", " + registryAccess
                + "]";
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
