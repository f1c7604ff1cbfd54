package io.orderflow.eventing.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Adds the settings the library relies on ({@code eventing-defaults.properties} beside this class: the health status
 * DEGRADED, the log context in every line, where Kafka and the registry are, the shutdown phases) as the lowest
 * property source, so that a service's YAML holds only what is its own and still overrides any of them.
 *
 * <p>Ordered last, after the application's configuration files are loaded: whether the library is on, and the
 * service's schema, are read from them.
 *
 * <p>The application's own default properties ({@code SpringApplication.setDefaultProperties}) are its settings too,
 * but Spring Boot moves them below every other source once the environment is prepared, below these defaults as
 * well. So what they set is left out of these defaults, and theirs holds.
 */
public class EventingDefaults implements EnvironmentPostProcessor, Ordered {

    /** The property source's name, as {@code /actuator/env} shows it. */
    public static final String PROPERTY_SOURCE = "orderflowEventingDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("orderflow.eventing.enabled", Boolean.class, true)
                || environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        Properties defaults = load("eventing-defaults.properties");
        if (environment.containsProperty("orderflow.eventing.schema")) {
            defaults.putAll(load("eventing-database-defaults.properties"));
        }
        PropertySource<?> applications = environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME);
        ConfigurationPropertySource own = applications == null ? null : ConfigurationPropertySource.from(applications);
        if (own != null) {
            defaults.keySet()
                    .removeIf(name ->
                            own.getConfigurationProperty(ConfigurationPropertyName.adapt((String) name, '.')) != null);
        }
        environment.getPropertySources().addLast(new PropertiesPropertySource(PROPERTY_SOURCE, defaults));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static Properties load(String name) {
        Properties properties = new Properties();
        try (InputStream in = EventingDefaults.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + EventingDefaults.class.getName());
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return properties;
    }
}
