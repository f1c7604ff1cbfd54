package io.orderflow.eventing.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Adds the settings the library relies on ({@code eventing-defaults.properties} beside this class: the health status
 * DEGRADED, the log context in every line, where Kafka and the registry are, the shutdown phases) to the
 * application's default properties, the lowest property source, so that a service's YAML holds only what is its own
 * and still overrides any of them.
 *
 * <p>Merged into {@code defaultProperties} rather than added as a source of their own: Spring keeps that source
 * last, below an application's {@code @PropertySource} files too, which a separate source added at the end would
 * shadow. The application's own default properties ({@code SpringApplication.setDefaultProperties}) keep theirs.
 *
 * <p>Ordered last, after the application's configuration files are loaded: whether the library is on, and the
 * service's schema, are read from them.
 */
public class EventingDefaults implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("orderflow.eventing.enabled", Boolean.class, true)) {
            return;
        }
        Properties defaults = load("eventing-defaults.properties");
        if (environment.containsProperty("orderflow.eventing.schema")) {
            defaults.putAll(load("eventing-database-defaults.properties"));
        }
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> applications = sources.get(DefaultPropertiesPropertySource.NAME);
        Map<String, Object> merged = new LinkedHashMap<>();
        defaults.forEach((name, value) -> merged.put((String) name, value));
        if (applications != null) {
            ConfigurationPropertySource own = ConfigurationPropertySource.from(applications);
            merged.keySet()
                    .removeIf(name -> own != null
                            && own.getConfigurationProperty(ConfigurationPropertyName.adapt(name, '.')) != null);
            if (!(applications instanceof MapPropertySource map)) {
                sources.addLast(new MapPropertySource("orderflowEventingDefaults", merged));
                return;
            }
            merged.putAll(map.getSource());
        }
        DefaultPropertiesPropertySource.addOrMerge(merged, sources);
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
