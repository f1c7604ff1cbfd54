package io.orderflow.registry;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP basic authentication on every request, as Confluent's registry does it: a request without a known user and
 * its password is answered 401 with {@code WWW-Authenticate: Basic realm="schema-registry"} and Confluent's error
 * body. Passwords are compared by their digests, in time that does not depend on where they differ, and an unknown
 * user costs the same comparison.
 */
final class BasicAuthentication extends Filter {

    static final String REALM = "schema-registry";

    private static final Logger log = LoggerFactory.getLogger(BasicAuthentication.class);
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final byte[] NO_PASSWORD = digest("");

    private final Map<String, byte[]> passwordDigests;

    BasicAuthentication(Map<String, String> users) {
        this.passwordDigests = Map.copyOf(users.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, user -> digest(user.getValue()))));
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Optional<String[]> credentials =
                credentials(exchange.getRequestHeaders().getFirst("Authorization"));
        if (credentials.isEmpty()) {
            refuse(exchange, "Unauthorized: this registry requires HTTP basic authentication");
            return;
        }
        String user = credentials.get()[0];
        byte[] expected = passwordDigests.getOrDefault(user, NO_PASSWORD);
        boolean matches = MessageDigest.isEqual(expected, digest(credentials.get()[1]));
        if (!matches || !passwordDigests.containsKey(user)) {
            log.warn(
                    "Refused {} {} from {}: unknown user or wrong password for '{}'",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    user);
            refuse(exchange, "Unauthorized: unknown user or wrong password");
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "HTTP basic authentication";
    }

    /** User and password of a basic {@code Authorization} header; empty when there is none or it is malformed. */
    static Optional<String[]> credentials(String header) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0
                ? Optional.empty()
                : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    private static void refuse(HttpExchange exchange, String message) throws IOException {
        try (exchange) {
            byte[] body = json.writeValueAsBytes(
                    json.createObjectNode().put("error_code", 401).put("message", message));
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            exchange.getResponseHeaders().set("Content-Type", RegistryHttpApi.CONTENT_TYPE);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
