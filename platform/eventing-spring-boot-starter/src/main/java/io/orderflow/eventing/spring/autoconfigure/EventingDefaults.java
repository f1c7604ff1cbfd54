package io.orderflow.eventing.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;

/**
 * Adds the settings the library relies on ({@code eventing-defaults.properties} beside this class: the health status
 * DEGRADED, the log context in every line, where Kafka and the registry are, the shutdown phases) as the lowest
 * property source, so that a service's YAML holds only what is its own and still overrides any of them.
 *
 * <p>Ordered last, after the application's configuration files are loaded: whether the library is on, and the
 * service's schema, are read from them.
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
