package io.orderflow.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may log in and which clients may ask for tokens: the authorization server's whole configuration of identities,
 * read from a JSON file at start.
 *
 * <pre>{@code
 * {
 *   "users": [
 *     {"username": "alice", "password": "...", "roles": ["customer"]}
 *   ],
 *   "clients": [
 *     {"clientId": "orderflow-cli", "secret": "...", "grantTypes": ["client_credentials"], "roles": ["operator"]},
 *     {"clientId": "orderflow-login", "grantTypes": ["authorization_code"],
 *      "redirectUris": ["http://127.0.0.1/callback"], "requireProofKey": true}
 *   ]
 * }
 * }</pre>
 *
 * Passwords and secrets are plain text: the file is its owner's only, and the server encodes them when it loads them.
 * A client without a secret is public (it authenticates with PKCE alone) and may use only the authorization code
 * grant. A user's roles go into the tokens of their logins, a client's into its client-credentials tokens. Redirect
 * URIs on {@code 127.0.0.1} match with any port (RFC 8252 loopback redirects).
 */
public record Realm(List<User> users, List<Client> clients) {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    private static final Set<String> GRANT_TYPES = Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** A person who logs in with a password (form login, authorization code flow). */
    public record User(String username, String password, List<String> roles) {
        public User {
            roles = orEmpty(roles);
        }
    }

    /**
     * An application that asks for tokens. {@code secret} is null for a public client; {@code roles} are those of
     * its client-credentials tokens; {@code scopes} those it may ask for ({@code openid} for an OIDC login).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Client(
            String clientId,
            String secret,
            List<String> grantTypes,
            List<String> redirectUris,
            List<String> scopes,
            List<String> roles,
            boolean requireProofKey) {

        public Client {
            grantTypes = orEmpty(grantTypes);
            redirectUris = orEmpty(redirectUris);
            scopes = orEmpty(scopes);
            roles = orEmpty(roles);
        }

        @JsonIgnore
        public boolean isPublic() {
            return secret == null;
        }
    }

    public Realm {
        users = users == null ? List.of() : List.copyOf(users);
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** Reads and checks the realm in {@code file}. */
    public static Realm load(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidRealmException("realm file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidRealmException("cannot read realm file " + file + ": " + e, e);
        }
        return parse(json, file.toString());
    }

    /** Reads and checks a realm; {@code source} names it in the messages. */
    public static Realm parse(String json, String source) {
        Realm realm;
        try {
            realm = JSON.readValue(json, Realm.class);
        } catch (JacksonException e) {
            var location = e.getLocation();
            throw new InvalidRealmException("realm file " + source + " is not a valid realm: "
                    + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (location == null
                            ? ""
                            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        }
        if (realm == null) {
            throw new InvalidRealmException("realm file " + source + " is empty");
        }
        realm.check(source);
        return realm;
    }

    /** The realm as the JSON {@link #parse(String, String)} reads. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    public Optional<User> user(String username) {
        return users.stream().filter(user -> user.username().equals(username)).findFirst();
    }

    public Optional<Client> client(String clientId) {
        return clients.stream()
                .filter(client -> client.clientId().equals(clientId))
                .findFirst();
    }

    private void check(String source) {
        String prefix = "realm file " + source + ": ";
        if (users.isEmpty() && clients.isEmpty()) {
            throw new InvalidRealmException(prefix + "no users and no clients");
        }
        Set<String> usernames = new HashSet<>();
        for (User user : users) {
            if (user == null
                    || user.username() == null
                    || !NAME.matcher(user.username()).matches()) {
                throw new InvalidRealmException(prefix + "a user without a valid username (letters, digits, . _ @ -): "
                        + (user == null ? null : user.username()));
            }
            String what = prefix + "user " + user.username();
            if (!usernames.add(user.username())) {
                throw new InvalidRealmException(what + " appears twice");
            }
            if (user.password() == null || user.password().isEmpty()) {
                throw new InvalidRealmException(what + " has no password");
            }
            checkRoles(what, user.roles());
        }
        Set<String> clientIds = new HashSet<>();
        for (Client client : clients) {
            if (client == null
                    || client.clientId() == null
                    || !NAME.matcher(client.clientId()).matches()) {
                throw new InvalidRealmException(
                        prefix + "a client without a valid clientId (letters, digits, . _ @ -): "
                                + (client == null ? null : client.clientId()));
            }
            String what = prefix + "client " + client.clientId();
            if (!clientIds.add(client.clientId())) {
                throw new InvalidRealmException(what + " appears twice");
            }
            // A client's own token has its id as subject, which is how a user's token names the customer.
            if (usernames.contains(client.clientId())) {
                throw new InvalidRealmException(what + " has the name of a user: its tokens would act as that user");
            }
            if (client.roles().contains("customer")) {
                throw new InvalidRealmException(
                        what + " has the role customer: a customer is a person who signs in, not a client");
            }
            if (client.secret() != null && client.secret().isEmpty()) {
                throw new InvalidRealmException(what + " has an empty secret (leave it out for a public client)");
            }
            List<String> grants = client.grantTypes();
            if (grants.isEmpty()) {
                throw new InvalidRealmException(what + " has no grantTypes (any of " + GRANT_TYPES + ")");
            }
            for (String grant : grants) {
                if (!GRANT_TYPES.contains(grant)) {
                    throw new InvalidRealmException(
                            what + " has an unknown grant type " + grant + " (known: " + GRANT_TYPES + ")");
                }
            }
            if (client.isPublic() && !grants.equals(List.of(AUTHORIZATION_CODE))) {
                throw new InvalidRealmException(
                        what + " is public (no secret): its only grant type can be " + AUTHORIZATION_CODE);
            }
            if (client.isPublic() && !client.requireProofKey()) {
                throw new InvalidRealmException(what + " is public (no secret): it needs requireProofKey true");
            }
            if (grants.contains(AUTHORIZATION_CODE) && client.redirectUris().isEmpty()) {
                throw new InvalidRealmException(what + " uses " + AUTHORIZATION_CODE + " but has no redirectUris");
            }
            for (String uri : client.redirectUris()) {
                if (uri == null || !(uri.startsWith("http://") || uri.startsWith("https://")) || uri.contains("#")) {
                    throw new InvalidRealmException(what + " has an invalid redirect URI " + uri);
                }
            }
            checkRoles(what, client.roles());
        }
    }

    private static void checkRoles(String what, List<String> roles) {
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw new InvalidRealmException(
                        what + " has an invalid role " + role + " (lower-case letters, digits, -)");
            }
        }
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
