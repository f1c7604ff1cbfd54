package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.security.testapp.SecuredApp;
import io.orderflow.security.testing.TestIssuer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An issuer that is not Orderflow's own, Keycloak say: roles nested in a claim, the caller in another, an audience. */
@SpringBootTest(
        classes = SecuredApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "orderflow.security.roles-claim=realm_access.roles",
            "orderflow.security.customer-claim=preferred_username",
            "orderflow.security.audience=orders-api"
        })
class OtherIssuerClaimsTest {

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

    String keycloakToken(String username, String... roles) {
        return issuer.token(claims -> claims.subject("f3c1a2d0-7e61-4c1e-9a57-0b8b6f0f6c11")
                .audience(List.of("orders-api", "account"))
                .claim("preferred_username", username)
                .claim("roles", null)
                .claim("realm_access", Map.of("roles", List.of(roles))));
    }

    @Test
    void readsTheRolesFromADottedClaimPath() {
        Http http = new Http(port);

        assertThat(http.get("/orders", keycloakToken("ops", "operator", "offline_access"))
                        .status())
                .isEqualTo(200);
        assertThat(http.get("/orders", keycloakToken("alice", "customer")).status())
                .isEqualTo(403);
    }

    @Test
    void namesTheCallerByTheConfiguredClaim() {
        Http.Answer me = new Http(port).get("/me", keycloakToken("alice", "customer", "uma_authorization"));

        assertThat(me.json().path("id").asString()).isEqualTo("alice");
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"CUSTOMER\"]");
    }

    @Test
    void takesNoRolesFromTheTopLevelClaimThenAndNeedsTheConfiguredAudience() {
        Http http = new Http(port);
        String topLevelRoles = issuer.token(claims ->
                claims.audience("orders-api").claim("preferred_username", "ops").claim("roles", List.of("operator")));

        assertThat(http.get("/orders", topLevelRoles).status()).isEqualTo(403);
        Http.Answer orderflowAudience = http.get(
                "/orders",
                issuer.token(claims -> claims.claim("preferred_username", "ops")
                        .claim("realm_access", Map.of("roles", List.of("operator")))));
        assertThat(orderflowAudience.status()).isEqualTo(401);
        assertThat(orderflowAudience.detail()).endsWith("does not include orders-api");
    }
}
