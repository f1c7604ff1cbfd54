package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderflow.devstack.DevStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the system tests ask of every service's HTTP security, over real HTTP with tokens of the stack's real
 * authorization server: each endpoint a service lists in {@code /actuator/access} (its own handler mappings) refuses
 * a caller without a token, and a caller without one of its roles; tokens that are forged, expired, foreign or for
 * another API are refused with a 401 problem.
 */
final class HttpAccess {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DevStack stack;

    HttpAccess(DevStack stack) {
        this.stack = stack;
    }

    /** The callers a test can be: each with the roles its token carries. */
    enum Caller {
        CUSTOMER("customer"),
        STOREFRONT("storefront"),
        OPERATOR("operator");

        private final String role;

        Caller(String role) {
            this.role = role;
        }
    }

    String token(Caller caller) {
        return switch (caller) {
            case CUSTOMER -> stack.tokens().customer("alice");
            case STOREFRONT -> stack.tokens().storefront();
            case OPERATOR -> stack.tokens().operator();
        };
    }

    /** Every endpoint the service at {@code baseUrl} serves, as it reports them; each has a rule. */
    List<JsonNode> endpoints(String service, String baseUrl) throws IOException {
        RawHttp.Answer answer = get(baseUrl, "/actuator/access", Optional.of(token(Caller.OPERATOR)));
        assertThat(answer.status())
                .as(service + " /actuator/access answered " + answer)
                .isEqualTo(200);
        List<JsonNode> endpoints =
                JSON.readTree(answer.body()).path("endpoints").valueStream().toList();
        assertThat(endpoints).as(service + " lists its endpoints").isNotEmpty();
        return endpoints;
    }

    /**
     * Knocks on every door: without a token each endpoint but the open ones answers 401, and a caller whose roles the
     * rule does not name 403; both as problem details. Nothing is sent that the endpoint would accept, so nothing
     * changes.
     */
    void everyEndpointRefusesStrangers(String service, String baseUrl, SoftAssertions softly) throws IOException {
        for (JsonNode endpoint : endpoints(service, baseUrl)) {
            String method = endpoint.path("method").isNull()
                    ? "GET"
                    : endpoint.path("method").asString();
            String path = endpoint.path("samplePath").asString();
            String what =
                    service + " " + method + " " + endpoint.path("pattern").asString();
            softly.assertThat(endpoint.path("covered").asBoolean())
                    .as(what + " has a rule")
                    .isTrue();
            RawHttp.Answer anonymous = send(baseUrl, method, path, Optional.empty());
            if (endpoint.path("open").asBoolean()) {
                softly.assertThat(anonymous.status())
                        .as(what + " is open to probes, answered " + anonymous)
                        .isNotIn(401, 403);
                continue;
            }
            softly.assertThat(anonymous.status())
                    .as(what + " without a token answered " + anonymous)
                    .isEqualTo(401);
            softly.assertThat(anonymous.contentType())
                    .as(what + " without a token answered " + anonymous)
                    .startsWith("application/problem+json");
            softly.assertThat(anonymous.header("WWW-Authenticate"))
                    .as(what + " without a token names the scheme")
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            List<String> allowed =
                    endpoint.path("roles").valueStream().map(JsonNode::asString).toList();
            for (Caller caller : Caller.values()) {
                if (allowed.contains(caller.role)) {
                    continue;
                }
                RawHttp.Answer refused = send(baseUrl, method, path, Optional.of(token(caller)));
                softly.assertThat(refused.status())
                        .as(what + " as " + caller + " answered " + refused)
                        .isEqualTo(403);
                softly.assertThat(refused.body())
                        .as(what + " as " + caller + " says which role it needs")
                        .contains("needs the role");
            }
            RawHttp.Answer head = send(baseUrl, "HEAD", path, Optional.empty());
            softly.assertThat(head.status())
                    .as(what + " as HEAD without a token answered " + head)
                    .isEqualTo(401);
        }
        // What no handler mapping lists is refused as well: deny by default.
        for (String path : List.of("/", "/index.html", "/error", "/favicon.ico", "/actuator", "/no-such-path")) {
            for (String method : List.of("GET", "POST", "OPTIONS")) {
                RawHttp.Answer answer = send(baseUrl, method, path, Optional.empty());
                softly.assertThat(answer.status())
                        .as(service + " " + method + " " + path + " without a token answered " + answer)
                        .isEqualTo(401);
            }
        }
    }

    /**
     * Tokens no service may accept, each refused with a 401 problem that says why: expired, not yet valid, signed by
     * another issuer's key, tampered with after signing, and issued for another API.
     */
    Map<String, String> badTokens() throws Exception {
        RSAKey stackKey = (RSAKey) JWK.parse(Files.readString(stack.signingKey()));
        RSAKey foreignKey = new RSAKeyGenerator(2048).keyID("foreign").generate();
        Instant now = Instant.now();
        String issuer = stack.issuerUri();
        String genuine = token(Caller.CUSTOMER);
        String[] parts = genuine.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String elevated = payload.replace("\"customer\"", "\"operator\"");
        assertThat(elevated).as("the genuine token carries the customer role").isNotEqualTo(payload);
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(elevated.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        return Map.of(
                "expired",
                signed(stackKey, issuer, "orderflow", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))),
                "not yet valid",
                signed(stackKey, issuer, "orderflow", now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2))),
                "signed by another issuer",
                signed(foreignKey, "http://127.0.0.1:1/other-issuer", "orderflow", now, now.plusSeconds(300)),
                "our issuer's name on another key",
                signed(foreignKey, issuer, "orderflow", now, now.plusSeconds(300)),
                "tampered roles",
                tampered,
                "for another API",
                signed(stackKey, issuer, "billing", now, now.plusSeconds(300)));
    }

    private static String signed(RSAKey key, String issuer, String audience, Instant issued, Instant expires)
            throws JOSEException, ParseException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("ops")
                .audience(audience)
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(expires))
                .claim("roles", List.of("operator"))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static RawHttp.Answer get(String baseUrl, String path, Optional<String> token) throws IOException {
        return send(baseUrl, "GET", path, token);
    }

    static RawHttp.Answer send(String baseUrl, String method, String path, Optional<String> token) throws IOException {
        List<String> headers =
                token.map(value -> List.of("Authorization: Bearer " + value)).orElse(List.of());
        boolean withBody = method.equals("POST") || method.equals("PUT");
        if (withBody) {
            headers = new java.util.ArrayList<>(headers);
            headers.add("Content-Type: application/json");
        }
        return RawHttp.exchange(baseUrl, method, path, headers, withBody ? "{}" : null);
    }
}
