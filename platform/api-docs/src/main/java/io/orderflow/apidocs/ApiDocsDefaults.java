package io.orderflow.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * springdoc settings the module needs, as default properties: a service's own configuration wins over each.
 *
 * <p>{@code springdoc.allowed-locales}: springdoc keeps one built document per request locale, without a bound. On
 * an endpoint open to anyone, each new {@code Accept-Language} value would build and keep another one
 * (GHSA-rhhx-6j8h-8cvw, fixed only in springdoc releases for a later Spring Boot); with a list, every other locale is
 * answered the default's.
 */
public class ApiDocsDefaults implements EnvironmentPostProcessor, Ordered {

    static final Map<String, Object> DEFAULTS = Map.of("springdoc.allowed-locales", "en");

    /** Where the Swagger UI webjar on the classpath says which version it is. */
    static final String SWAGGER_UI_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>(DEFAULTS);
        swaggerUiVersion().ifPresent(version -> defaults.put("springdoc.swagger-ui.version", version));
        Map<String, Object> missing = new LinkedHashMap<>();
        defaults.forEach((name, value) -> {
            if (!environment.containsProperty(name)) {
                missing.put(name, value);
            }
        });
        DefaultPropertiesPropertySource.addOrMerge(missing, environment.getPropertySources());
    }

    /**
     * The version of the Swagger UI webjar on the classpath. springdoc serves the version it was built with unless
     * told otherwise, and the build takes a newer one (the one springdoc 3.0.3 bundles has a cross-site scripting
     * flaw).
     */
    static Optional<String> swaggerUiVersion() {
        try (InputStream pom = ApiDocsDefaults.class.getClassLoader().getResourceAsStream(SWAGGER_UI_POM)) {
            if (pom == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(pom);
            return Optional.ofNullable(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SWAGGER_UI_POM, e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
