package io.orderflow.security.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer for tests, on 127.0.0.1: it publishes {@code /.well-known/openid-configuration} and its
 * keys ({@code /jwks}), as an authorization server does, so that a service under test finds them from its
 * {@code issuer-uri} as in production, and it signs access tokens (RS256) with the claims Orderflow's tokens carry.
 *
 * <pre>{@code
 * static final TestIssuer issuer = TestIssuer.start();
 *
 * @DynamicPropertySource
 * static void issuer(DynamicPropertyRegistry registry) {
 *     registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::uri);
 * }
 *
 * String alice = issuer.token("alice", "customer");
 * }</pre>
 *
 * It can be stopped and started again on the same port, to show what a service does while its issuer is down, and
 * its key can be rotated.
 */
public final class TestIssuer implements AutoCloseable {

    /** The audience of Orderflow's APIs, which every token here carries unless told otherwise. */
    public static final String AUDIENCE = "orderflow";

    private final List<RSAKey> keys = new ArrayList<>();
    private volatile int port;
    private HttpServer server;

    private TestIssuer() {
        keys.add(newKey());
    }

    /** An issuer on a free port of 127.0.0.1, serving. */
    public static TestIssuer start() {
        TestIssuer issuer = new TestIssuer();
        issuer.serve(0);
        return issuer;
    }

    /** The issuer identifier: {@code iss} of its tokens, and what a service's {@code issuer-uri} is set to. */
    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** A valid access token of this issuer: for {@code subject}, with these roles, for 5 minutes. */
    public String token(String subject, String... roles) {
        return token(claims -> claims.subject(subject).claim("roles", List.of(roles)));
    }

    /** A valid access token for {@code alice} the customer, changed by {@code change}. */
    public String token(Consumer<JWTClaimsSet.Builder> change) {
        return sign(claims(change));
    }

    /**
     * The claims of a valid token for {@code alice} the customer (issuer, audience, 5 minutes from now, a random
     * {@code jti}), changed by {@code change}.
     */
    public JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(uri())
                .subject("alice")
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", List.of("customer"));
        change.accept(claims);
        return claims.build();
    }

    /** Signed with this issuer's current key (RS256, its {@code kid}, {@code typ} JWT). */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, JOSEObjectType.JWT);
    }

    /** Signed with this issuer's current key, with this {@code typ} header (null: none). */
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        RSAKey key = currentKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(type)
                .build();
        return sign(header, claims, key);
    }

    /** Signed with another key this issuer does not publish: what a forger would send. */
    public static String signWithUnknownKey(JWTClaimsSet claims) {
        RSAKey key = newKey();
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims, key);
    }

    /** The current key pair (the private part too, for tests that forge with it). */
    public RSAKey currentKey() {
        synchronized (keys) {
            return keys.get(keys.size() - 1);
        }
    }

    /** A new signing key, published beside the old ones: tokens signed from now on carry its {@code kid}. */
    public void rotateKey() {
        synchronized (keys) {
            keys.add(newKey());
        }
    }

    /** Stops answering: connections to its port are refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Serves again, on the same port. */
    public synchronized void restart() {
        if (server == null) {
            serve(port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void serve(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + onPort, e);
        }
        port = server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", exchange -> {
            String issuer = uri();
            respond(
                    exchange,
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                            + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                            + "\"subject_types_supported\":[\"public\"],"
                            + "\"response_types_supported\":[\"code\"]}");
        });
        server.createContext("/jwks", exchange -> {
            List<JWK> published;
            synchronized (keys) {
                published = keys.stream().map(key -> (JWK) key.toPublicJWK()).toList();
            }
            respond(exchange, new JWKSet(published).toString());
        });
        server.start();
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }
}
