package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderflow.security.testapp.SecuredApp;
import io.orderflow.security.testing.TestIssuer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The module in a running service, called over HTTP with real tokens of an issuer found by discovery. */
@SpringBootTest(
        classes = SecuredApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,info")
class ResourceServerTest {

    static final TestIssuer issuer = TestIssuer.start();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::uri);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Http http() {
        return new Http(port);
    }

    @Test
    void healthIsOpenAndShowsNoDetailsWithoutAToken() {
        Http.Answer health = http().get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse();
        assertThat(http().get("/actuator/health/liveness", null).status()).isEqualTo(200);
    }

    @Test
    void operatorsSeeTheHealthOfEachComponent() {
        Http.Answer health = http().get("/actuator/health", issuer.token("ops", "operator"));

        assertThat(health.json().has("components")).isTrue();
    }

    @Test
    void refusesARequestWithoutATokenWithA401Problem() {
        Http.Answer answer = http().get("/orders/1", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(answer.json().path("status").asInt()).isEqualTo(401);
        assertThat(answer.json().path("instance").asString()).isEqualTo("/orders/1");
        assertThat(answer.detail()).startsWith("a bearer token is required");
    }

    @Test
    void takesOnlyBearerTokens() {
        Http.Answer answer = http().send("GET", "/orders/1", "Basic YWxpY2U6c2VjcmV0");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("a bearer token is required");
    }

    @Test
    void refusesACustomerOnAnOperatorEndpointWithA403ProblemNamingTheRole() {
        Http.Answer answer = http().get("/orders", issuer.token("alice", "customer"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
        assertThat(answer.detail()).isEqualTo("GET /orders needs the role operator; the token has the role customer");
        assertThat(answer.json().path("requiredRoles").toString()).isEqualTo("[\"operator\"]");
    }

    @Test
    void letsEachRoleInWhereItsRuleAllows() {
        assertThat(http().get("/orders", issuer.token("ops", "operator")).status())
                .isEqualTo(200);
        assertThat(http().send("POST", "/orders", "Bearer " + issuer.token("alice", "customer"))
                        .status())
                .isEqualTo(201);
        assertThat(http().send("POST", "/orders", "Bearer " + issuer.token("shop", "storefront"))
                        .status())
                .isEqualTo(201);
        assertThat(http().send("POST", "/orders", "Bearer " + issuer.token("ops", "operator"))
                        .detail())
                .isEqualTo("POST /orders needs the role customer or storefront; the token has the role operator");
    }

    @Test
    void givesTheControllerTheCallerOfTheToken() {
        Http.Answer me = http().get("/me", issuer.token("shop", "storefront", "admin"));

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("id").asString()).isEqualTo("shop");
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"STOREFRONT\"]");
    }

    @Test
    void aCustomerSeesOnlyTheirOwnOrdersAndAMissingOneIsA404() {
        String alice = issuer.token("alice", "customer");

        assertThat(http().get("/orders/1", alice).json().path("customer").asString())
                .isEqualTo("alice");
        assertThat(http().get("/orders/2", alice).status()).isEqualTo(404);
        assertThat(http().get("/orders/2", issuer.token("ops", "operator")).status())
                .isEqualTo(200);
        // The error page of a request the rules let in is served, not refused.
        assertThat(http().get("/orders/missing", alice).status()).isEqualTo(404);
    }

    @Test
    void refusesAnEndpointWithoutARuleEvenToOperators() {
        Http.Answer answer = http().get("/nowhere", issuer.token("ops", "operator"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.detail())
                .isEqualTo("no rule allows GET /nowhere: this service refuses every endpoint it has not declared");
        assertThat(http().get("/nowhere", null).status()).isEqualTo(401);
        assertThat(http().send("DELETE", "/orders/1", "Bearer " + issuer.token("ops", "operator"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void appliesTheRulesToFunctionalRoutes() {
        assertThat(http().get("/stock/KB-001", null).status()).isEqualTo(200);
        assertThat(http().send("PUT", "/stock/KB-001", "Bearer " + issuer.token("alice", "customer"))
                        .status())
                .isEqualTo(403);
        assertThat(http().send("PUT", "/stock/KB-001", "Bearer " + issuer.token("ops", "operator"))
                        .status())
                .isEqualTo(204);
    }

    @Test
    void keepsActuatorAndOpsRoutesForOperators() {
        String alice = issuer.token("alice", "customer");
        String ops = issuer.token("ops", "operator");

        assertThat(http().get("/actuator/info", alice).status()).isEqualTo(403);
        assertThat(http().get("/actuator/info", ops).status()).isEqualTo(200);
        assertThat(http().get("/actuator", ops).status()).isEqualTo(200);
        assertThat(http().get("/ops/lag", alice).detail())
                .isEqualTo("GET /ops/lag needs the role operator; the token has the role customer");
        assertThat(http().get("/ops/lag", ops).status()).isEqualTo(200);
    }

    @Test
    void refusesAnExpiredToken() {
        Http.Answer answer = http().get(
                        "/orders/1",
                        issuer.token(claims -> claims.issueTime(
                                        Date.from(Instant.now().minusSeconds(900)))
                                .expirationTime(Date.from(Instant.now().minusSeconds(600)))));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(answer.detail()).startsWith("the token has expired (at ");
    }

    @Test
    void refusesATokenNotValidYet() {
        Http.Answer answer = http().get(
                        "/orders/1",
                        issuer.token(claims ->
                                claims.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("the token is not valid yet (not before ");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        Http.Answer answer = http().get("/orders/1", issuer.token(claims -> claims.expirationTime(null)));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("the token has no expiry (exp)");
    }

    @Test
    void refusesATokenOfAnotherIssuer() {
        Http.Answer sameKey = http().get("/orders/1", issuer.token(claims -> claims.issuer("https://elsewhere")));
        Http.Answer ownKey = http().get(
                        "/orders/1",
                        TestIssuer.signWithUnknownKey(issuer.claims(claims -> claims.issuer("https://elsewhere"))));

        for (Http.Answer answer : List.of(sameKey, ownKey)) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.detail())
                    .isEqualTo(
                            "the token is from an unknown issuer: this API accepts tokens issued by " + issuer.uri());
        }
    }

    @Test
    void refusesATokenChangedAfterSigning() {
        String[] parts = issuer.token("alice", "customer").split("\\.");
        String operatorClaims = Base64URL.encode(issuer.claims(claims -> claims.claim("roles", List.of("operator")))
                        .toString())
                .toString();

        Http.Answer answer = http().get("/orders", parts[0] + "." + operatorClaims + "." + parts[2]);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("the token's signature is not valid");
    }

    @Test
    void refusesATokenSignedWithAKeyTheIssuerDoesNotPublish() {
        Http.Answer answer = http().get("/orders/1", TestIssuer.signWithUnknownKey(issuer.claims(claims -> {})));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("the token's signature is not valid");
    }

    @Test
    void refusesAnUnsignedToken() {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        String payload = Base64URL.encode(issuer.claims(claims -> claims.claim("roles", List.of("operator")))
                        .toString())
                .toString();

        Http.Answer answer = http().get("/orders", header + "." + payload + ".");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail())
                .isEqualTo("the token is not signed (alg \"none\"): only signed tokens are accepted");
    }

    @Test
    void refusesATokenSignedWithHs256AndThePublicKeyAsSecret() throws JOSEException {
        byte[] publicKey = issuer.currentKey().toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(issuer.currentKey().getKeyID())
                        .build(),
                issuer.claims(claims -> claims.claim("roles", List.of("operator"))));
        forged.sign(new MACSigner(publicKey));

        Http.Answer answer = http().get("/orders", forged.serialize());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail()).startsWith("the token's signature is not valid");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        Http.Answer answer = http().get("/orders/1", issuer.token(claims -> claims.audience("billing")));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail())
                .isEqualTo("the token was not issued for this API: its audience (aud) does not include orderflow");
        assertThat(answer.header("WWW-Authenticate"))
                .contains("error_description=\"", "the token was not issued for this API");
        assertThat(http().get("/orders/1", issuer.token(claims -> claims.audience((String) null)))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void refusesATokenThatDoesNotNameItsCaller() {
        Http.Answer answer = http().get("/orders/1", issuer.token(claims -> claims.subject(null)));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.detail())
                .isEqualTo("the token does not say who the caller is: it has no sub claim with a text value");
    }

    @Test
    void takesAccessTokenTypesAndRefusesOthers() {
        JWTClaimsSet claims = issuer.claims(c -> {});

        assertThat(http().get("/orders/1", issuer.sign(claims, new JOSEObjectType("at+jwt")))
                        .status())
                .isEqualTo(200);
        assertThat(http().get("/orders/1", issuer.sign(claims, null)).status()).isEqualTo(200);
        Http.Answer idToken = http().get("/orders/1", issuer.sign(claims, new JOSEObjectType("id_token+jwt")));
        assertThat(idToken.status()).isEqualTo(401);
        assertThat(idToken.detail()).startsWith("the token's type (its typ header) is not one of an access token");
    }

    @Test
    void refusesGarbageWithA401Problem() {
        for (String garbage : List.of("garbage", "a.b.c", "....", "e30.e30.e30")) {
            Http.Answer answer = http().get("/orders/1", garbage);

            assertThat(answer.status()).as(garbage).isEqualTo(401);
            assertThat(answer.detail()).as(garbage).startsWith("the token is not");
        }
        Http.Answer signedNothing = http().get("/orders/1", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        assertThat(signedNothing.status()).isEqualTo(401);
        assertThat(signedNothing.detail()).startsWith("the token's signature is not valid");
        Http.Answer notAToken = http().send("GET", "/orders/1", "Bearer {\"not\": \"base64\"}");
        assertThat(notAToken.status()).isEqualTo(401);
        assertThat(notAToken.detail()).startsWith("the Authorization header does not hold a well-formed bearer token");
    }

    @Test
    void neverAnswersA5xxToAnAuthorizationHeader() {
        List<String> headers = List.of(
                "Bearer",
                "Bearer ",
                "Bearer  " + issuer.token("alice", "customer"),
                "bearer " + issuer.token("alice", "customer") + "x",
                "Bearer \u00e9t\u00e9",
                "Bearer a\tb",
                "Negotiate abc");
        for (String header : headers) {
            Http.Answer answer = http().send("GET", "/orders/1", header);

            assertThat(answer.status()).as(header).isBetween(400, 499);
            assertThat(answer.header("Content-Type")).as(header).startsWith("application/problem+json");
        }
        // Spring Security 7 takes DPoP-bound tokens on a filter of its own, which answers without a body.
        for (String header : List.of("DPoP " + issuer.token("alice", "customer"), "DPoP garbage")) {
            Http.Answer answer = http().send("GET", "/orders/1", header);

            assertThat(answer.status()).as(header).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).as(header).startsWith("DPoP error=\"invalid_");
        }
    }

    @Test
    void refusesAHugeTokenWithA401ProblemAndAHugerHeaderWithout5xx() {
        Http.Answer eightKiB = http().get("/orders/1", "a".repeat(8 * 1024));
        assertThat(eightKiB.status()).isEqualTo(401);
        assertThat(eightKiB.detail()).startsWith("the token is not a well-formed JWT");

        String bigSigned = issuer.token(claims -> claims.claim("padding", "p".repeat(8 * 1024)));
        assertThat(http().get("/orders/1", bigSigned).status()).isEqualTo(200);

        Http.Answer huge = http().get("/orders/1", "a".repeat(64 * 1024));
        assertThat(huge.status()).isBetween(400, 499);
    }

    @Test
    void refusesRequestsTheFirewallRejectsWithA400Problem() {
        Http.Answer answer = http().get("/orders/1;jsessionid=abc", issuer.token("alice", "customer"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void listsEveryEndpointWithTheRuleThatDecidesIt() {
        EndpointInventory inventory = EndpointInventory.of(context);

        assertThat(inventory.uncovered()).isEmpty();
        assertThat(inventory.endpoints())
                .extracting(endpoint -> endpoint.method() + " " + endpoint.pattern() + " -> "
                        + endpoint.rule().orElseThrow())
                .contains(
                        "GET /orders/{id} -> GET /orders/{id} -> customer, operator, storefront",
                        "PUT /stock/{sku} -> PUT /stock/{sku} -> operator",
                        "GET /stock/{sku} -> GET /stock/{sku} -> open",
                        "GET /ops/lag -> GET /ops/** -> operator",
                        "GET /actuator/health -> GET /actuator/health -> open",
                        "GET /actuator/info -> GET /actuator/** -> operator");
        assertThat(context.getBean(AccessRules.class).ruleFor(HttpMethod.GET, "/stock/KB-001"))
                .hasValueSatisfying(rule -> assertThat(rule.isOpen()).isTrue());
    }
}
