package io.orderflow.eventing.clientconfig;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a client gets into the schema registry beyond its URL: the user and password it sends with every request
 * (HTTP basic authentication), and the certificates it trusts over HTTPS (a private CA). Neither is needed by a
 * registry on plain HTTP without users, such as the local stack's ({@link #NONE}).
 *
 * @param userInfo   {@code user:password}, Confluent's {@code basic.auth.user.info}; null for none
 * @param truststore the certificates to trust; null for the JDK's own
 */
public record RegistryAccess(String userInfo, Truststore truststore) {

    public static final RegistryAccess NONE = new RegistryAccess(null, null);

    /**
     * @throws ClientConfigException when the user info has no colon between user and password
     */
    public RegistryAccess {
        if (userInfo != null && userInfo.isBlank()) {
            userInfo = null;
        }
        if (userInfo != null && userInfo.indexOf(':') < 0) {
            // The value may be a password alone: it is never shown.
            throw new ClientConfigException("the registry's user info (basic.auth.user.info) must be user:password;"
                    + " the value given has no colon");
        }
    }

    public RegistryAccess withUserInfo(String userInfo) {
        return new RegistryAccess(userInfo, truststore);
    }

    public RegistryAccess withTruststore(Truststore truststore) {
        return new RegistryAccess(userInfo, truststore);
    }

    /** The user the client authenticates as, if any. */
    public Optional<String> user() {
        return Optional.ofNullable(userInfo).map(info -> info.substring(0, info.indexOf(':')));
    }

    /** The value of the {@code Authorization} header every request carries, if any. */
    public Optional<String> authorization() {
        return Optional.ofNullable(userInfo)
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<Truststore> trusted() {
        return Optional.ofNullable(truststore);
    }

    /**
     * The TLS context of the truststore, if one is given.
     *
     * @throws ClientConfigException when the truststore cannot be read
     */
    public Optional<SSLContext> sslContext() {
        return trusted().map(Truststore::sslContext);
    }

    @Override
    public String toString() {
        return "RegistryAccess[user=" + user().orElse("none")
                + (userInfo == null ? "" : ", password " + Secrets.HIDDEN)
                + ", truststore=" + (truststore == null ? "the JDK's CAs" : truststore) + "]";
    }
}
