package io.orderflow.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderflow.dashboard.probe.ServiceToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/** The dashboard's own token against issuers that answer, refuse, are down or hang: never a refresh held up. */
class ClientCredentialsTokenTest {

    private final AtomicInteger tokenRequests = new AtomicInteger();
    private HttpServer issuer;
    private ClientCredentialsToken token;

    @AfterEach
    void stop() {
        if (token != null) {
            token.close();
        }
        if (issuer != null) {
            issuer.stop(0);
        }
    }

    @Test
    void keepsTheTokenWhileItIsValid() throws Exception {
        token = tokenFrom(
                issuerAnswering(200, "{\"access_token\":\"a-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));

        assertThat(token.current()).isEqualTo("a-token");
        assertThat(token.current()).isEqualTo("a-token");
        assertThat(tokenRequests).hasValue(1);
    }

    @Test
    void asksForANewOneBeforeItExpiresAndAfterAServiceRefusedIt() throws Exception {
        // Valid for less than the minute before expiry at which it is renewed.
        token = tokenFrom(
                issuerAnswering(200, "{\"access_token\":\"a-token\",\"token_type\":\"Bearer\",\"expires_in\":30}"));

        token.current();
        token.current();
        assertThat(tokenRequests).hasValue(2);

        issuer.stop(0);
        token.close();
        tokenRequests.set(0);
        token = tokenFrom(
                issuerAnswering(200, "{\"access_token\":\"a-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        token.current();
        token.refused();
        token.current();
        assertThat(tokenRequests).hasValue(2);
    }

    @Test
    void anIssuerThatRefusesTheClientSaysSoInOneLine() throws Exception {
        token = tokenFrom(issuerAnswering(401, "{\"error\":\"invalid_client\"}"));

        assertThatThrownBy(token::current)
                .isInstanceOf(ServiceToken.UnavailableException.class)
                .hasMessage("the issuer " + issuerUri() + " gave no token: 401 Unauthorized on POST request for \""
                        + issuerUri() + "/oauth2/token\": \"{\"error\":\"invalid_client\"}\"");
    }

    @Test
    void anIssuerThatIsDownSaysSoWithoutWaiting() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String down = "http://127.0.0.1:" + closed;
        token = new ClientCredentialsToken(new IssuerRegistrations(down, () -> discovered(down)));

        long started = System.nanoTime();
        assertThatThrownBy(token::current)
                .isInstanceOf(ServiceToken.UnavailableException.class)
                .hasMessage("the issuer " + down + " cannot be reached: Connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ClientCredentialsToken.WAIT);
    }

    @Test
    void anIssuerThatHangsHoldsNoCallerLongerThanTheWait() throws Exception {
        // Takes connections and never answers, as a paused process does.
        try (ServerSocket hung = new ServerSocket(0)) {
            String silent = "http://127.0.0.1:" + hung.getLocalPort();
            token = new ClientCredentialsToken(new IssuerRegistrations(silent, () -> discovered(silent)));

            for (int call = 0; call < 3; call++) {
                long started = System.nanoTime();
                assertThatThrownBy(token::current)
                        .isInstanceOf(ServiceToken.UnavailableException.class)
                        .hasMessage("the issuer " + silent + " did not answer within 2000 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .isLessThan(ClientCredentialsToken.WAIT.plusSeconds(1));
            }
        }
    }

    private ClientCredentialsToken tokenFrom(HttpServer server) {
        this.issuer = server;
        Supplier<Map<String, ClientRegistration>> registrations = () -> Map.of(
                ClientCredentialsToken.REGISTRATION,
                ClientRegistration.withRegistrationId(ClientCredentialsToken.REGISTRATION)
                        .clientId("dashboard")
                        .clientSecret("its-secret")
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .tokenUri(issuerUri() + "/oauth2/token")
                        .build());
        return new ClientCredentialsToken(new IssuerRegistrations(issuerUri(), registrations));
    }

    /** Spring's discovery from the issuer's metadata, as the dashboard reads it. */
    private static Map<String, ClientRegistration> discovered(String issuer) {
        return Map.of(
                ClientCredentialsToken.REGISTRATION,
                ClientRegistrations.fromIssuerLocation(issuer)
                        .registrationId(ClientCredentialsToken.REGISTRATION)
                        .clientId("dashboard")
                        .clientSecret("its-secret")
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .build());
    }

    private String issuerUri() {
        return "http://127.0.0.1:" + issuer.getAddress().getPort();
    }

    private HttpServer issuerAnswering(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            tokenRequests.incrementAndGet();
            answer(exchange, status, body);
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
