package io.orderflow.devstack;

import io.orderflow.auth.Realm;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens from a stack's authorization server, obtained as real clients obtain them: client credentials for the
 * stack's own clients, and for a user a login through the server's own pages (authorization code with PKCE). Each is
 * kept until a minute before it expires; safe for concurrent use.
 *
 * <p>A failure (an unknown user, a refused password or secret, a server that does not answer) throws an exception
 * whose message says what happened in one line.
 */
public final class Tokens {

    /** A cached token is fetched again this long before it expires, so that no request carries a dying one. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

    private final String issuer;
    private final Realm realm;
    private final Path realmFile;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private record Cached(String token, Instant renewAt) {}

    Tokens(String issuerUri, Path realmFile) {
        this.issuer = issuerUri.endsWith("/") ? issuerUri.substring(0, issuerUri.length() - 1) : issuerUri;
        this.realmFile = realmFile;
        this.realm = Realm.load(realmFile);
        this.http = client();
    }

    /**
     * Tokens from the stack running in {@code workDirectory}, found by the issuer file its auth server writes
     * (removed when the stack stops).
     *
     * @throws IllegalStateException when no stack's auth server has run there, or it has stopped
     */
    public static Tokens forStack(Path workDirectory) {
        Path directory = DevStack.authDirectory(workDirectory);
        String issuer = AuthServerProcess.writtenIssuer(directory)
                .orElseThrow(() -> new IllegalStateException(
                        "no stack is running in " + workDirectory + " (start it with ./orderflow up)"));
        return forStack(workDirectory, issuer);
    }

    /** Tokens from the issuer given, with the users and clients of the stack in {@code workDirectory}. */
    public static Tokens forStack(Path workDirectory, String issuerUri) {
        return new Tokens(issuerUri, DevStack.authDirectory(workDirectory).resolve(StackRealm.FILE));
    }

    public String issuerUri() {
        return issuer;
    }

    /** The command line's own token: client {@value StackRealm#CLI_CLIENT}, role {@value StackRealm#OPERATOR}. */
    public String operator() {
        return clientCredentials(StackRealm.CLI_CLIENT);
    }

    /**
     * The storefront's token: client {@value StackRealm#STOREFRONT_CLIENT}, role {@value StackRealm#STOREFRONT},
     * which places orders on behalf of customers.
     */
    public String storefront() {
        return clientCredentials(StackRealm.STOREFRONT_CLIENT);
    }

    /** The dashboard's own token (client credentials), role {@value StackRealm#OPERATOR}. */
    public String dashboard() {
        return clientCredentials(StackRealm.DASHBOARD_CLIENT);
    }

    /** A token of any confidential client of the realm, by its client credentials. */
    public String clientCredentials(String clientId) {
        Realm.Client client = realm.client(clientId)
                .orElseThrow(() -> new IllegalArgumentException("unknown client " + clientId + " (the realm in "
                        + realmFile + " has " + names(realm.clients().stream().map(Realm.Client::clientId)) + ")"));
        if (client.isPublic() || !client.grantTypes().contains(Realm.CLIENT_CREDENTIALS)) {
            throw new IllegalArgumentException("client " + clientId + " cannot use client credentials");
        }
        return cached("client:" + clientId, () -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", basic(clientId, client.secret()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form(Map.of("grant_type", "client_credentials")))
                    .build();
            return tokenResponse(send(http, request), "client " + clientId);
        });
    }

    /** The token of customer {@code username} of the realm, logged in with their password. */
    public String customer(String username) {
        Realm.User user = realm.user(username)
                .filter(found -> found.roles().contains(StackRealm.CUSTOMER))
                .orElseThrow(() -> new IllegalArgumentException("unknown customer " + username + " (the stack's"
                        + " customers: "
                        + names(realm.users().stream()
                                .filter(u -> u.roles().contains(StackRealm.CUSTOMER))
                                .map(Realm.User::username))
                        + ")"));
        return user(user.username());
    }

    /** The token of any user of the realm, logged in with their password. */
    public String user(String username) {
        Realm.User user = realm.user(username)
                .orElseThrow(() -> new IllegalArgumentException("unknown user " + username + " (the realm in "
                        + realmFile + " has " + names(realm.users().stream().map(Realm.User::username)) + ")"));
        return cached(
                "user:" + username, () -> loggedIn(user.username(), user.password(), StackRealm.LOGIN_REDIRECT_URI));
    }

    /**
     * Logs {@code username} in with {@code password}, as a browser would, and returns the access token; never
     * cached. The authorization code flow of the public client {@value StackRealm#LOGIN_CLIENT} with PKCE: the
     * authorization request, the login form (with its CSRF token), the redirect to the registered loopback redirect
     * URI, whose {@code code} is taken from the Location header (nothing listens there), and the code exchanged with
     * its verifier.
     */
    public String login(String username, String password) {
        return login(username, password, StackRealm.LOGIN_REDIRECT_URI);
    }

    /** {@link #login(String, String)} with this redirect URI (a loopback one may name any port). */
    String login(String username, String password, String redirectUri) {
        return loggedIn(username, password, redirectUri).token();
    }

    private Cached loggedIn(String username, String password, String redirectUri) {
        HttpClient browser = client();
        String verifier = random(32);
        String state = random(16);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", StackRealm.LOGIN_CLIENT);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("code_challenge", challenge(verifier));
        parameters.put("code_challenge_method", "S256");
        parameters.put("state", state);
        URI authorize = URI.create(issuer + "/oauth2/authorize?" + query(parameters));

        HttpResponse<String> toLogin = send(browser, page(authorize).GET().build());
        URI loginPage = redirect(toLogin, authorize, "the authorization request");
        HttpResponse<String> form = send(browser, page(loginPage).GET().build());
        if (form.statusCode() != 200) {
            throw new IllegalStateException("the login page " + loginPage + " answered " + form.statusCode());
        }
        HttpResponse<String> loggedIn = send(
                browser,
                page(loginPage)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form(Map.of("username", username, "password", password, "_csrf", csrf(form))))
                        .build());
        URI back = redirect(loggedIn, loginPage, "the login of " + username);
        if (back.getPath().equals(loginPage.getPath())) {
            throw new IllegalStateException("the login of " + username + " was refused: wrong username or password");
        }
        HttpResponse<String> authorized = send(browser, page(back).GET().build());
        URI callback = redirect(authorized, back, "the authorization of " + username);
        Map<String, String> answer = parse(callback.getRawQuery());
        if (answer.containsKey("error")) {
            throw new IllegalStateException("the authorization of " + username + " failed: " + answer.get("error")
                    + (answer.containsKey("error_description") ? " (" + answer.get("error_description") + ")" : ""));
        }
        if (!callback.toString().startsWith(redirectUri + "?") || !answer.containsKey("code")) {
            throw new IllegalStateException("the authorization of " + username + " did not come back to " + redirectUri
                    + " with a code, but went to " + callback);
        }
        if (!state.equals(answer.get("state"))) {
            throw new IllegalStateException("the authorization of " + username + " came back with another state");
        }
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", answer.get("code"));
        exchange.put("redirect_uri", redirectUri);
        exchange.put("client_id", StackRealm.LOGIN_CLIENT);
        exchange.put("code_verifier", verifier);
        HttpRequest token = HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form(exchange))
                .build();
        return tokenResponse(send(http, token), "user " + username);
    }

    private interface Fetch {
        Cached get();
    }

    private String cached(String key, Fetch fetch) {
        Cached current = cache.get(key);
        if (current != null && Instant.now().isBefore(current.renewAt())) {
            return current.token();
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            current = cache.get(key);
            if (current == null || !Instant.now().isBefore(current.renewAt())) {
                current = fetch.get();
                cache.put(key, current);
            }
            return current.token();
        }
    }

    private Cached tokenResponse(HttpResponse<String> response, String who) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            body = JSON.missingNode();
        }
        if (response.statusCode() != 200) {
            String error = body.path("error").asString("");
            throw new IllegalStateException("the auth server at " + issuer + " refused a token to " + who + ": "
                    + response.statusCode()
                    + (error.isEmpty() ? "" : " " + error)
                    + (body.path("error_description").isMissingNode()
                            ? ""
                            : " (" + body.path("error_description").asString() + ")"));
        }
        String token = body.path("access_token").asString("");
        if (token.isEmpty()) {
            throw new IllegalStateException(
                    "the auth server at " + issuer + " answered without an access token for " + who);
        }
        long expiresIn = body.path("expires_in").asLong(0);
        return new Cached(token, Instant.now().plusSeconds(expiresIn).minus(RENEW_BEFORE_EXPIRY));
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the auth server at " + issuer + " does not answer ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "); is the stack running?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + issuer + " for a token", e);
        }
    }

    /** The Location of a redirect, resolved against the request's URI. */
    private static URI redirect(HttpResponse<String> response, URI request, String what) {
        if (response.statusCode() != 302 && response.statusCode() != 303) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + " instead of a redirect"
                    + firstLine(response.body()));
        }
        return request.resolve(response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(what + " redirected without a Location")));
    }

    private static String firstLine(String body) {
        String text = body == null
                ? ""
                : body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? "" : ": " + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
    }

    private static String csrf(HttpResponse<String> loginForm) {
        Matcher input = CSRF_INPUT.matcher(loginForm.body());
        if (input.find()) {
            Matcher value = VALUE.matcher(input.group());
            if (value.find()) {
                return value.group(1);
            }
        }
        throw new IllegalStateException("the login page has no CSRF token field");
    }

    /** A browser's request: HTML wanted, so that the server answers an unauthenticated one with its login page. */
    private static HttpRequest.Builder page(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "text/html");
    }

    /** Redirects are followed by hand: the last one goes to a redirect URI where nothing listens. */
    private static HttpClient client() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER))
                .build();
    }

    private static String basic(String id, String secret) {
        String credentials = encode(id) + ":" + encode(secret);
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(query(fields));
    }

    private static String query(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (query == null) {
            return fields;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            fields.put(decode(name), decode(value));
        }
        return fields;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** The PKCE S256 challenge: the verifier's SHA-256, base64url without padding. */
    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String names(Stream<String> names) {
        return names.collect(Collectors.joining(", "));
    }
}
