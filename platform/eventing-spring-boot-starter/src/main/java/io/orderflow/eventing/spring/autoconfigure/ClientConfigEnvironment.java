package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.clientconfig.RegistryAccess;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * The client configuration file ({@value ClientConfig#VARIABLE}) in a Spring Boot service: its Kafka settings
 * become {@code spring.kafka.properties.<key>}, which Spring Boot gives every Kafka client it builds (producers,
 * consumers, admin clients, Kafka Streams), its {@code bootstrap.servers} {@code spring.kafka.bootstrap-servers}, and
 * its registry settings {@code orderflow.eventing.schema-registry.*}, which every registry client is built from.
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL}, where set, win over the file's.
 *
 * <p>The settings are a property source of their own just below the system environment: above the application's
 * configuration files and the library's defaults, so that the file wins over a service's YAML, and below the
 * command line, system properties and environment variables, which still set anything for one process. Nothing is
 * added when the variable is not set. It applies whether or not the rest of the library is on (the dashboard uses
 * Kafka and the registry with the library off).
 */
public class ClientConfigEnvironment implements EnvironmentPostProcessor, Ordered {

    /** The name of the property source this adds. */
    public static final String SOURCE = "orderflowClientConfig";

    private final Log log;

    public ClientConfigEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(ClientConfigEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!hasText(environment.getProperty(ClientConfig.VARIABLE))) {
            return;
        }
        ClientConfig config = ClientConfig.fromEnvironment(environment::getProperty);
        Map<String, Object> properties = properties(config);
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource source = new MapPropertySource(SOURCE, properties);
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addFirst(source);
        }
        log.info("Kafka clients and the schema registry client configured from " + ClientConfig.VARIABLE + ": "
                + config);
    }

    /** The Spring Boot properties of a client configuration. */
    static Map<String, Object> properties(ClientConfig config) {
        Map<String, Object> properties = new LinkedHashMap<>();
        config.kafka().forEach((key, value) -> {
            if (key.equals(ClientConfig.BOOTSTRAP_SERVERS)) {
                properties.put("spring.kafka.bootstrap-servers", literal(value));
            } else {
                properties.put("spring.kafka.properties." + key, literal(value));
            }
        });
        String registry = "orderflow.eventing.schema-registry.";
        config.registryUrl().ifPresent(url -> properties.put(registry + "url", literal(url)));
        RegistryAccess access = config.registryAccess();
        if (access.userInfo() != null) {
            properties.put(registry + "user-info", literal(access.userInfo()));
        }
        access.trusted().ifPresent(truststore -> {
            properties.put(registry + "truststore.location", literal(truststore.location()));
            properties.put(registry + "truststore.type", truststore.type());
            if (truststore.password() != null) {
                properties.put(registry + "truststore.password", literal(truststore.password()));
            }
        });
        return properties;
    }

    /**
     * The value as it is: Spring would take a {@code ${...}} in it (a password, or a Kafka config provider's
     * reference) for one of its own placeholders.
     */
    private static String literal(Object value) {
        return value.toString().replace("${", "\\${");
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** After the configuration files are loaded, like the library's defaults. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
