package io.orderflow.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderflow.auth.SigningKey;
import io.orderflow.dashboard.Browser;
import io.orderflow.dashboard.RunningDashboard;
import io.orderflow.dashboard.probe.ServiceToken;
import io.orderflow.devstack.StackRealm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Who may call what without a browser session: nobody, scripts with bearer tokens, and the way to the login. */
class DashboardAccessIT extends RunningDashboard {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Browser browser = new Browser();

    @Autowired
    ServiceToken serviceToken;

    @Test
    void theApiWithoutCredentialsAnswers401WithAProblemNotTheLoginPage() {
        for (String path : List.of("/api/snapshot", "/api/dlq", "/api/stream", "/api/me", "/actuator/metrics")) {
            // Even asked for as a page: the API is for scripts, which cannot follow a login.
            HttpResponse<String> answer = browser.send(Browser.page(url(path)).GET());

            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type"))
                    .as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.headers().firstValue("WWW-Authenticate"))
                    .as(path)
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("status").asInt()).isEqualTo(401);
            assertThat(problem.path("title").asString()).isEqualTo("Not authenticated");
            assertThat(problem.path("detail").asString()).contains("Authorization: Bearer");
            assertThat(problem.path("instance").asString()).isEqualTo(path);
        }
        assertThat(browser.cookie("DASHBOARD_SESSION"))
                .as("asking the API creates no session")
                .isEmpty();
    }

    @Test
    void aBrowserOpeningTheDashboardIsSentToTheIssuersLoginWithPkce() {
        List<HttpResponse<String>> answers =
                browser.follow(Browser.page(url("/")).GET());

        assertThat(answers.get(0).statusCode()).isEqualTo(302);
        assertThat(answers.get(0).headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/oauth2/authorization/orderflow"));
        URI authorize =
                URI.create(answers.get(1).headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(stack().issuerUri() + "/oauth2/authorize?");
        Map<String, String> request = Browser.query(authorize);
        assertThat(request)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", StackRealm.DASHBOARD_CLIENT)
                .containsEntry("scope", "openid")
                .containsEntry("redirect_uri", dashboard() + "/login/oauth2/code/orderflow")
                .containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce");
        assertThat(request.get("code_challenge"))
                .as("a SHA-256 digest, base64url without padding")
                .matches("[A-Za-z0-9_-]{43}");
        HttpResponse<String> landed = Browser.last(answers);
        assertThat(landed.uri().toString()).startsWith(stack().issuerUri() + "/login");
        assertThat(landed.body()).contains("name=\"username\"", "name=\"password\"");
    }

    @Test
    void anOperatorsBearerTokenReadsTheApiWithoutASession() {
        HttpResponse<String> answer = api("/api/snapshot", tokens().operator());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("services").size()).isEqualTo(5);
        assertThat(answer.headers().allValues("Set-Cookie"))
                .noneMatch(cookie -> cookie.startsWith("DASHBOARD_SESSION="));

        JsonNode me = JSON.readTree(api("/api/me", tokens().operator()).body());
        assertThat(me.path("name").asString()).isEqualTo(StackRealm.CLI_CLIENT);
        assertThat(me.path("roles").valueStream().map(JsonNode::asString)).containsExactly("operator");
    }

    @Test
    void aCustomersBearerTokenIsRefusedWithAProblemSayingTheDashboardIsForOperators() {
        HttpResponse<String> answer = api("/api/snapshot", tokens().customer(StackRealm.ALICE));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(answer.body()).path("detail").asString())
                .isEqualTo("the dashboard is for operators: alice has the role customer");
        assertThat(api("/actuator/metrics", tokens().storefront()).statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenNotMadeForTheOrderflowApiOrExpiredIsRefused() throws Exception {
        String forAnotherApi = signedByTheIssuer("another-api", Instant.now().plusSeconds(300));
        String expired = signedByTheIssuer("orderflow", Instant.now().minusSeconds(120));

        for (String token : List.of(forAnotherApi, expired, "not-a-jwt")) {
            HttpResponse<String> answer = api("/api/snapshot", token);

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(challenge -> assertThat(challenge).contains("invalid_token"));
            assertThat(JSON.readTree(answer.body()).path("detail").asString())
                    .startsWith("the bearer token is not accepted: ");
        }
        assertThat(api(
                                "/api/snapshot",
                                signedByTheIssuer("orderflow", Instant.now().plusSeconds(300)))
                        .statusCode())
                .as("the same token for the right audience, in time")
                .isEqualTo(200);
    }

    @Test
    void aScriptWithABearerTokenNeedsNoCsrfToken() throws Exception {
        String deadLetter = aPendingDeadLetter();

        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(url("/api/dlq/replay"))
                .header("Authorization", "Bearer " + tokens().operator())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\":[\"" + deadLetter + "\"]}")));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body())
                        .path("replayed")
                        .get(0)
                        .path("id")
                        .asString())
                .isEqualTo(deadLetter);
    }

    @Test
    void theHealthProbeIsOpenAndShowsItsComponentsToOperatorsOnly() {
        HttpResponse<String> anyone =
                browser.send(Browser.script(url("/actuator/health")).GET());
        HttpResponse<String> operator = api("/actuator/health", tokens().operator());

        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(anyone.body()).path("status").asString()).isEqualTo("UP");
        assertThat(JSON.readTree(anyone.body()).has("components")).isFalse();
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(operator.body()).has("components")).isTrue();
        assertThat(browser.send(Browser.script(url("/actuator/info")).GET()).statusCode())
                .isEqualTo(401);
        assertThat(api("/actuator/info", tokens().operator()).statusCode()).isEqualTo(200);
    }

    @Test
    void pagesTakeNoBearerTokenAndLeadToTheLogin() {
        for (String path : List.of("/", "/dashboard.js", "/favicon.ico", "/anything")) {
            HttpResponse<String> answer = browser.send(Browser.page(url(path))
                    .header("Authorization", "Bearer " + tokens().operator())
                    .GET());

            assertThat(answer.statusCode()).as(path).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location"))
                    .as(path)
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/oauth2/authorization/orderflow"));
        }
    }

    @Test
    void theServicesAreReadWithTheDashboardsOwnOperatorToken() {
        String token = serviceToken.current();

        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("sub").asString()).isEqualTo(StackRealm.DASHBOARD_CLIENT);
        assertThat(claims.path("iss").asString()).isEqualTo(stack().issuerUri());
        JsonNode audience = claims.path("aud");
        assertThat((audience.isArray() ? audience.get(0) : audience).asString()).isEqualTo("orderflow");
        assertThat(claims.path("roles").valueStream().map(JsonNode::asString)).containsExactly("operator");
        assertThat(serviceToken.current()).as("kept while it is valid").isEqualTo(token);

        serviceToken.refused();
        assertThat(serviceToken.current())
                .as("a new one once a service refused it")
                .isNotEqualTo(token);
    }

    private HttpResponse<String> api(String path, String token) {
        return browser.send(Browser.script(url(path))
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    private URI url(String path) {
        return URI.create(dashboard() + path);
    }

    /** A token signed with the issuer's own key, with the operator's role, for the audience given. */
    private static String signedByTheIssuer(String audience, Instant expiry) throws Exception {
        RSAKey key = SigningKey.read(stack().signingKey());
        SignedJWT token = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(stack().issuerUri())
                        .subject("ops")
                        .audience(audience)
                        .claim("roles", List.of("operator"))
                        .issueTime(Date.from(expiry.minusSeconds(600)))
                        .expirationTime(Date.from(expiry))
                        .build());
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }
}
