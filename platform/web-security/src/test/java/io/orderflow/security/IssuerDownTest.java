package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.security.testapp.SecuredApp;
import io.orderflow.security.testing.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service whose issuer cannot be reached: it starts (Boot asks the issuer at the first token, not at start), and
 * answers a token it cannot check with 503 and Retry-After, never a 500; once the issuer is back, the same token
 * goes through. Deliberately not 401: the token may be good, and a 401 would have the client throw it away.
 */
@SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IssuerDownTest {

    static final TestIssuer issuer = TestIssuer.start();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        issuer.stop();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::uri);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @LocalServerPort
    int port;

    @Test
    void answers503WhileTheIssuerIsDownAndServesOnceItIsBack() {
        Http http = new Http(port);
        String alice = issuer.token("alice", "customer");

        Http.Answer down = http.get("/orders/1", alice);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("5");
        assertThat(down.header("Content-Type")).startsWith("application/problem+json");
        assertThat(down.detail())
                .isEqualTo("the token cannot be checked now: the keys of its issuer " + issuer.uri()
                        + " cannot be fetched; send the request again in a few seconds");
        // What is not a signed token is refused without asking the issuer.
        assertThat(http.get("/orders/1", "garbage").status()).isEqualTo(401);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);

        issuer.restart();
        assertThat(http.get("/orders/1", alice).status()).isEqualTo(200);

        // Keys rotated while the issuer is down: the new key cannot be fetched.
        issuer.stop();
        issuer.rotateKey();
        String rotated = issuer.token("alice", "customer");
        assertThat(http.get("/orders/1", rotated).status()).isEqualTo(503);
        assertThat(http.get("/orders/1", alice).status()).isEqualTo(200);

        issuer.restart();
        assertThat(http.get("/orders/1", rotated).status()).isEqualTo(200);
    }
}
