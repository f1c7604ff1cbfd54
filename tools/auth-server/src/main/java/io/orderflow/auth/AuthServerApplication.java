package io.orderflow.auth;

import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The OAuth2 / OpenID Connect authorization server of the local stack and the tests: Spring Authorization Server
 * with the users and clients of a realm file ({@link Realm}), signing RS256 JWTs with a key kept in a file
 * ({@link SigningKey}). Issuer {@code http://127.0.0.1:<PORT>}; it listens on the loopback interface only.
 *
 * <p>Environment: {@value #PORT} (default {@value #DEFAULT_PORT}), {@value #REALM} (the realm file) and
 * {@value #SIGNING_KEY} (the key file, created when missing).
 *
 * <p>Its jar is on the class path every service of the devstack runs with, and that class path holds JDBC, Kafka
 * and the services' own auto-configurations. So it imports exactly the auto-configurations it needs instead of
 * enabling them all, keeps its settings in {@value #CONFIG_NAME}.yml, and lives in a package no service scans. For
 * the same reason it depends on Spring Security itself, not on Boot's security starter: with that on their class
 * path, services without web security of their own would get Boot's default one.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
    PropertyPlaceholderAutoConfiguration.class,
    TomcatServletWebServerAutoConfiguration.class,
    HttpEncodingAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    ErrorMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    JacksonAutoConfiguration.class
})
@Import(AuthorizationServerConfiguration.class)
public class AuthServerApplication {

    public static final String CONFIG_NAME = "auth-server";
    public static final String PORT = "PORT";
    public static final int DEFAULT_PORT = 8088;
    public static final String REALM = "AUTH_SERVER_REALM";
    public static final String SIGNING_KEY = "AUTH_SERVER_SIGNING_KEY";
    /** The audience of every access token: what the services' resource servers require. */
    public static final String AUDIENCE = "orderflow";
    /** The claim holding the user's or client's roles, a JSON array of strings. */
    public static final String ROLES_CLAIM = "roles";

    /** The issuer identifier, {@code http://127.0.0.1:<port>}. */
    record Issuer(String uri) {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        int port;
        Realm realm;
        RSAKey signingKey;
        try {
            port = port(env.get(PORT));
            realm = Realm.load(Path.of(required(env, REALM)));
            signingKey = SigningKey.loadOrCreate(Path.of(required(env, SIGNING_KEY)));
        } catch (RuntimeException e) {
            System.err.println("auth-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        application(port, realm, signingKey).run(args);
    }

    /** The server on {@code 127.0.0.1:port} with this realm and key. */
    public static SpringApplication application(int port, Realm realm, RSAKey signingKey) {
        SpringApplication application = new SpringApplication(AuthServerApplication.class);
        application.setDefaultProperties(Map.of(
                "spring.config.name", CONFIG_NAME, "server.port", String.valueOf(port), "server.address", "127.0.0.1"));
        Issuer issuer = new Issuer("http://127.0.0.1:" + port);
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("realm", realm);
            context.getBeanFactory().registerSingleton("signingKey", signingKey);
            context.getBeanFactory().registerSingleton("issuer", issuer);
        });
        return application;
    }

    private static int port(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT + " must be a port number (1-65535), not " + value);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set: it names the "
                    + switch (name) {
                        case REALM -> "realm file (users and clients)";
                        default -> "signing key file (created when missing)";
                    });
        }
        return value;
    }
}
