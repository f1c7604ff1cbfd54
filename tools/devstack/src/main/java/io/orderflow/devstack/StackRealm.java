package io.orderflow.devstack;

import io.orderflow.auth.Realm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The users and clients of a local stack's authorization server, kept in {@code realm.json} of its directory (its
 * owner's only): made once with random passwords and secrets, reused by every later start, so that a running
 * stack's tokens and a client's configured secret stay valid. A user or client missing from an older file is added
 * with its own new secret; what is there is never changed.
 *
 * <ul>
 *   <li>customers {@value #ALICE}, bob, carol, dave, erin (role {@value #CUSTOMER}) and the operator {@value
 *       #OPS} (role {@value #OPERATOR}), who log in with a password;
 *   <li>{@value #CLI_CLIENT}: the command line's own identity, client credentials, role {@value #OPERATOR};
 *   <li>{@value #STOREFRONT_CLIENT}: places orders on behalf of customers (bench, demo), client credentials, role
 *       {@value #STOREFRONT};
 *   <li>{@value #DASHBOARD_CLIENT}: confidential, logs operators in (authorization code with PKCE, redirect
 *       {@value #DASHBOARD_REDIRECT_URI} on any port) and reads the services with its own client-credentials token
 *       (role {@value #OPERATOR});
 *   <li>{@value #LOGIN_CLIENT}: public, authorization code with PKCE (redirect {@value #LOGIN_REDIRECT_URI}), with
 *       which {@link Tokens} logs a user in headlessly.
 * </ul>
 */
public final class StackRealm {

    public static final String CUSTOMER = "customer";
    public static final String OPERATOR = "operator";
    public static final String STOREFRONT = "storefront";

    public static final String ALICE = "alice";
    public static final List<String> CUSTOMERS = List.of(ALICE, "bob", "carol", "dave", "erin");
    public static final String OPS = "ops";

    public static final String CLI_CLIENT = "orderflow-cli";
    public static final String STOREFRONT_CLIENT = "storefront";
    public static final String DASHBOARD_CLIENT = "dashboard";
    public static final String LOGIN_CLIENT = "orderflow-login";
    /** Spring Security's OAuth2 login callback for the registration {@code orderflow}; the port is the dashboard's. */
    public static final String DASHBOARD_REDIRECT_URI = "http://127.0.0.1/login/oauth2/code/orderflow";

    public static final String LOGIN_REDIRECT_URI = "http://127.0.0.1/callback";

    public static final String FILE = "realm.json";

    private StackRealm() {}

    /** The realm in {@code directory}, written first when missing or lacking one of the stack's users or clients. */
    public static Realm ensure(Path directory) {
        Path file = SecretFiles.directory(directory).resolve(FILE);
        Realm existing = Files.exists(file) ? Realm.load(file) : new Realm(List.of(), List.of());
        List<Realm.User> users = new ArrayList<>(existing.users());
        List<Realm.Client> clients = new ArrayList<>(existing.clients());
        for (Realm.User user : defaultUsers()) {
            if (existing.user(user.username()).isEmpty()) {
                users.add(user);
            }
        }
        for (Realm.Client client : defaultClients()) {
            if (existing.client(client.clientId()).isEmpty()) {
                clients.add(client);
            }
        }
        Realm realm = new Realm(users, clients);
        if (!realm.equals(existing)) {
            SecretFiles.write(file, realm.toJson());
        }
        return realm;
    }

    private static List<Realm.User> defaultUsers() {
        List<Realm.User> users = new ArrayList<>();
        for (String customer : CUSTOMERS) {
            users.add(new Realm.User(customer, SecretFiles.randomPassword(), List.of(CUSTOMER)));
        }
        users.add(new Realm.User(OPS, SecretFiles.randomPassword(), List.of(OPERATOR)));
        return users;
    }

    private static List<Realm.Client> defaultClients() {
        return List.of(
                new Realm.Client(
                        CLI_CLIENT,
                        SecretFiles.randomPassword(),
                        List.of(Realm.CLIENT_CREDENTIALS),
                        List.of(),
                        List.of(),
                        List.of(OPERATOR),
                        false),
                new Realm.Client(
                        STOREFRONT_CLIENT,
                        SecretFiles.randomPassword(),
                        List.of(Realm.CLIENT_CREDENTIALS),
                        List.of(),
                        List.of(),
                        List.of(STOREFRONT),
                        false),
                new Realm.Client(
                        DASHBOARD_CLIENT,
                        SecretFiles.randomPassword(),
                        List.of(Realm.AUTHORIZATION_CODE, Realm.REFRESH_TOKEN, Realm.CLIENT_CREDENTIALS),
                        List.of(DASHBOARD_REDIRECT_URI),
                        List.of("openid", "profile"),
                        List.of(OPERATOR),
                        true),
                new Realm.Client(
                        LOGIN_CLIENT,
                        null,
                        List.of(Realm.AUTHORIZATION_CODE),
                        List.of(LOGIN_REDIRECT_URI),
                        List.of("openid"),
                        List.of(),
                        true));
    }
}
