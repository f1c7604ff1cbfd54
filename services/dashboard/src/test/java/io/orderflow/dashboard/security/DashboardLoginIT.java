package io.orderflow.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.dashboard.Browser;
import io.orderflow.dashboard.RunningDashboard;
import io.orderflow.devstack.StackRealm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators and customers signing in through the stack's real authorization server, as a browser does: the login
 * form, the redirects, the session cookie; then what the session may do.
 */
class DashboardLoginIT extends RunningDashboard {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Browser browser = new Browser();

    @Test
    void anOperatorSignsInAtTheIssuerAndReadsTheDashboard() {
        List<HttpResponse<String>> answers = browser.signIn(dashboard(), StackRealm.OPS, password(StackRealm.OPS));

        HttpResponse<String> landed = Browser.last(answers);
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().toString()).startsWith(dashboard() + "/");
        assertThat(landed.body()).contains("<title>Orderflow dashboard</title>");
        HttpResponse<String> callback = answers.stream()
                .filter(answer -> answer.uri().getPath().equals("/login/oauth2/code/orderflow"))
                .findFirst()
                .orElseThrow();
        assertThat(callback.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("DASHBOARD_SESSION=")
                        .contains("HttpOnly")
                        .containsIgnoringCase("SameSite=Lax"));

        HttpResponse<String> snapshot =
                browser.send(Browser.script(url("/api/snapshot")).GET());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(snapshot.body()).path("services").size()).isEqualTo(5);
        JsonNode me =
                JSON.readTree(browser.send(Browser.script(url("/api/me")).GET()).body());
        assertThat(me.path("name").asString()).isEqualTo(StackRealm.OPS);
        assertThat(me.path("roles").valueStream().map(JsonNode::asString)).containsExactly("operator");
        assertThat(browser.send(Browser.page(url("/dashboard.js")).GET()).statusCode())
                .isEqualTo(200);
        var unserved = browser.send(Browser.page(url("/robots.txt")).GET());
        assertThat(unserved.statusCode())
                .as("what no rule names is refused; an operator is told there is nothing there")
                .isEqualTo(404);
        assertThat(unserved.body()).doesNotContain("for operators");
    }

    @Test
    void aCustomerWhoSignsInIsToldTheDashboardIsForOperatorsAndSeesNoData() {
        HttpResponse<String> landed =
                Browser.last(browser.signIn(dashboard(), StackRealm.ALICE, password(StackRealm.ALICE)));

        assertThat(landed.statusCode()).isEqualTo(403);
        assertThat(landed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(landed.body())
                .contains("The Orderflow dashboard is for operators", "signed in as <b>alice</b>, who is customer")
                .contains("action=\"/logout\"");
        HttpResponse<String> snapshot =
                browser.send(Browser.script(url("/api/snapshot")).GET());
        assertThat(snapshot.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(snapshot.body()).path("detail").asString())
                .isEqualTo("the dashboard is for operators: alice has the role customer");
        assertThat(snapshot.body()).doesNotContain("services");
        assertThat(browser.send(Browser.page(url("/dashboard.js")).GET()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aPostWithTheSessionButWithoutItsCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        String deadLetter = aPendingDeadLetter();
        browser.signIn(dashboard(), StackRealm.OPS, password(StackRealm.OPS));
        String replay = "{\"ids\":[\"" + deadLetter + "\"]}";

        for (String token : new String[] {null, "not-the-token"}) {
            HttpResponse<String> refused = browser.send(post("/api/dlq/replay", replay, token));

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).path("title").asString()).isEqualTo("Missing or wrong CSRF token");
            assertThat(status(deadLetter)).as("nothing was replayed").isEqualTo("PENDING");
        }

        String csrf = browser.cookie("XSRF-TOKEN").orElseThrow();
        HttpResponse<String> accepted = browser.send(post("/api/dlq/replay", replay, csrf));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body())
                        .path("replayed")
                        .get(0)
                        .path("id")
                        .asString())
                .isEqualTo(deadLetter);
        assertThat(status(deadLetter)).isEqualTo("REPLAYED");
    }

    @Test
    void signingOutEndsTheSessionAndTheIssuersToo() {
        browser.signIn(dashboard(), StackRealm.OPS, password(StackRealm.OPS));
        JsonNode csrf = JSON.readTree(
                        browser.send(Browser.script(url("/api/me")).GET()).body())
                .path("csrf");

        HttpResponse<String> withoutToken = browser.send(Browser.page(url("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(withoutToken.statusCode())
                .as("a sign-out needs the CSRF token too")
                .isEqualTo(403);
        assertThat(browser.send(Browser.script(url("/api/me")).GET()).statusCode())
                .isEqualTo(200);

        List<HttpResponse<String>> signOut = browser.follow(Browser.page(url("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Browser.form(Map.of(
                        csrf.path("parameterName").asString(),
                        csrf.path("token").asString()))));

        assertThat(signOut.get(0).statusCode()).isEqualTo(302);
        URI endSession =
                URI.create(signOut.get(0).headers().firstValue("Location").orElseThrow());
        assertThat(endSession.toString()).startsWith(stack().issuerUri() + "/connect/logout?");
        assertThat(Browser.query(endSession)).containsKey("id_token_hint");
        assertThat(browser.send(Browser.script(url("/api/me")).GET()).statusCode())
                .isEqualTo(401);
        HttpResponse<String> again =
                Browser.last(browser.follow(Browser.page(url("/")).GET()));
        assertThat(again.uri().toString())
                .as("signed out at the issuer too: the login form again, not a silent sign-in")
                .startsWith(stack().issuerUri() + "/login");
    }

    private HttpRequest.Builder post(String path, String json, String csrf) {
        HttpRequest.Builder request = Browser.script(url(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return csrf == null ? request : request.header("X-XSRF-TOKEN", csrf);
    }

    private String status(String deadLetter) {
        HttpResponse<String> shown =
                browser.send(Browser.script(url("/api/dlq/" + deadLetter)).GET());
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        return JSON.readTree(shown.body()).path("status").asString();
    }

    private URI url(String path) {
        return URI.create(dashboard() + path);
    }
}
