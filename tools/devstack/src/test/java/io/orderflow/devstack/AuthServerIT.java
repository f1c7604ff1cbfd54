package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderflow.auth.Realm;
import io.orderflow.auth.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stack's authorization server as a real process, and {@link Tokens} getting tokens from it as clients do. */
class AuthServerIT {

    private static Path directory;
    private static AuthServerProcess server;
    private static Tokens tokens;

    @BeforeAll
    static void startServer() throws Exception {
        directory = Files.createTempDirectory("orderflow-auth-it-").resolve("auth");
        long started = System.nanoTime();
        server = AuthServerProcess.start(directory, Ports.free());
        System.out.printf("auth server started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        tokens = new Tokens(server.issuerUri(), server.realmFile());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            DevStack.wipe(directory.getParent());
        }
    }

    @Test
    void clientCredentialsGiveTheClientsRolesForTheOrderflowAudience() throws Exception {
        JWTClaimsSet operator = verified(tokens.operator());
        JWTClaimsSet storefront = verified(tokens.storefront());
        JWTClaimsSet dashboard = verified(tokens.dashboard());

        assertThat(operator.getSubject()).isEqualTo("orderflow-cli");
        assertThat(operator.getStringListClaim("roles")).containsExactly("operator");
        assertThat(operator.getAudience()).containsExactly("orderflow");
        assertThat(operator.getIssuer()).isEqualTo(server.issuerUri());
        assertThat(Duration.between(
                        operator.getIssueTime().toInstant(),
                        operator.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(storefront.getSubject()).isEqualTo("storefront");
        assertThat(storefront.getStringListClaim("roles")).containsExactly("storefront");
        assertThat(storefront.getAudience()).containsExactly("orderflow");
        assertThat(dashboard.getSubject()).isEqualTo("dashboard");
        assertThat(dashboard.getStringListClaim("roles")).containsExactly("operator");
    }

    @Test
    void aCustomerLogsInThroughTheLoginPageAndTheTokenIsKept() throws Exception {
        String token = tokens.customer("alice");

        JWTClaimsSet claims = verified(token);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaim("roles")).containsExactly("customer");
        assertThat(claims.getAudience()).containsExactly("orderflow");
        assertThat(claims.getIssuer()).isEqualTo(server.issuerUri());
        assertThat(tokens.customer("alice")).isSameAs(token);
        assertThat(verified(tokens.user("ops")).getStringListClaim("roles")).containsExactly("operator");
    }

    @Test
    void aLoopbackRedirectUriMayNameAnyPort() throws Exception {
        String password = realm().user("bob").orElseThrow().password();

        String token = tokens.login("bob", password, "http://127.0.0.1:54321/callback");

        assertThat(verified(token).getSubject()).isEqualTo("bob");
        assertThatThrownBy(() -> tokens.login("bob", password, "http://127.0.0.1:54321/elsewhere"))
                .hasMessageStartingWith("the authorization request answered 400 instead of a redirect");
    }

    @Test
    void aWrongClientSecretIsRefused() throws Exception {
        String credentials =
                Base64.getEncoder().encodeToString("orderflow-cli:not-the-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.issuerUri() + "/oauth2/token"))
                                .header("Authorization", "Basic " + credentials)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("invalid_client");
    }

    @Test
    void aWrongPasswordOrAnUnknownCustomerFailsWithOneClearLine() {
        assertThatThrownBy(() -> tokens.login("alice", "not-her-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the login of alice was refused: wrong username or password");
        assertThatThrownBy(() -> tokens.customer("zed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown customer zed (the stack's customers: alice, bob, carol, dave, erin)");
        assertThatThrownBy(() -> tokens.customer("ops")).hasMessageStartingWith("unknown customer ops");
    }

    @Test
    void aTestCanSignTokensWithTheServersKey() throws Exception {
        RSAKey key = SigningKey.read(server.signingKey());
        SignedJWT expired = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(server.issuerUri())
                        .subject("alice")
                        .audience("orderflow")
                        .claim("roles", List.of("customer"))
                        .expirationTime(Date.from(Instant.now().minusSeconds(60)))
                        .build());
        expired.sign(new RSASSASigner(key));

        assertThat(verified(expired.serialize()).getExpirationTime()).isBefore(new Date());
    }

    @Test
    void theSigningKeyAndRealmAreOwnerOnlyAndTheKeyOutlivesARestart() throws Exception {
        assertThat(permissions(server.signingKey())).isEqualTo("rw-------");
        assertThat(permissions(server.realmFile())).isEqualTo("rw-------");
        assertThat(permissions(directory)).isEqualTo("rwx------");
        assertThat(AuthServerProcess.writtenIssuer(directory)).contains(server.issuerUri());
        String kid = jwks().getKeys().get(0).getKeyID();
        String before = tokens.operator();
        String secret = realm().client("orderflow-cli").orElseThrow().secret();
        long pid = server.pid();

        long started = System.nanoTime();
        server.restart();
        System.out.printf("auth server restarted in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(server.pid()).isNotEqualTo(pid);
        assertThat(jwks().getKeys())
                .singleElement()
                .satisfies(key -> assertThat(key.getKeyID()).isEqualTo(kid));
        assertThat(verified(before).getSubject()).isEqualTo("orderflow-cli");
        assertThat(realm().client("orderflow-cli").orElseThrow().secret()).isEqualTo(secret);
        assertThat(verified(new Tokens(server.issuerUri(), server.realmFile()).operator()))
                .satisfies(claims -> assertThat(claims.getSubject()).isEqualTo("orderflow-cli"));
    }

    /** The token's claims, once its signature is checked against the server's published keys. */
    private static JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key)
                .as("the key %s in the server's key set", jwt.getHeader().getKeyID())
                .isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    private static JWKSet jwks() throws Exception {
        return JWKSet.load(URI.create(server.issuerUri() + "/oauth2/jwks").toURL());
    }

    private static Realm realm() {
        return Realm.load(server.realmFile());
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
