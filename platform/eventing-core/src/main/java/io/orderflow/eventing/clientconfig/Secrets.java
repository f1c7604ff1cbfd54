package io.orderflow.eventing.clientconfig;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Which client settings hold a secret, and the settings as they may be shown: with every secret hidden. */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";

    private Secrets() {}

    /**
     * Whether a setting's value is a secret: {@code sasl.jaas.config}, {@code basic.auth.user.info}, anything named
     * a password or a secret, and private keys and inline certificates given as text.
     */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return name.endsWith("sasl.jaas.config")
                || name.endsWith("user.info")
                || name.contains("password")
                || name.contains("secret")
                || name.contains("passphrase")
                || name.endsWith(".key")
                || name.endsWith("keystore.certificate.chain")
                || name.endsWith("truststore.certificates");
    }

    /** The settings in order of their names, each secret one shown as {@value #HIDDEN}. */
    public static Map<String, Object> redacted(Map<String, ?> settings) {
        Map<String, Object> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, isSecret(key) ? HIDDEN : value));
        return shown;
    }
}
