package io.orderflow.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds {@code web-security-defaults.properties} (beside this class: the issuer from {@code OAUTH2_ISSUER_URI}, room
 * for large tokens, health details for operators only) to the application's default properties, the lowest property
 * source: a service's own configuration wins over each. Only the settings the application does not set at all are
 * added, so that an application's own default properties keep theirs too.
 *
 * <p>Ordered last, after the application's configuration files are loaded: whether the module is on is read from
 * them.
 */
public class WebSecurityDefaults implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("orderflow.security.resource-server.enabled", Boolean.class, true)) {
            return;
        }
        Properties defaults = new Properties();
        try (InputStream in = WebSecurityDefaults.class.getResourceAsStream("web-security-defaults.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "web-security-defaults.properties is missing beside " + WebSecurityDefaults.class.getName());
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web-security-defaults.properties", e);
        }
        Map<String, Object> missing = new LinkedHashMap<>();
        defaults.forEach((name, value) -> {
            if (!environment.containsProperty((String) name)) {
                missing.put((String) name, value);
            }
        });
        DefaultPropertiesPropertySource.addOrMerge(missing, environment.getPropertySources());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
