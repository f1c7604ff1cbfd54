package io.orderflow.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.jwt.Jwt;

/** Reads a claim by name or dotted path, as issuers nest them (Keycloak: {@code realm_access.roles}). */
public final class TokenClaims {

    private TokenClaims() {}

    /**
     * The claim named so at the top level, else the one the dotted path leads to; null when neither is there. The
     * name is tried whole first because some issuers name claims with URLs, dots included.
     */
    static Object find(Jwt jwt, String name) {
        return find(jwt.getClaims(), name);
    }

    /** As {@link #find(Jwt, String)}, in any token's claims (an OpenID Connect ID token's too). */
    public static Object find(Map<String, Object> claims, String name) {
        if (claims.containsKey(name) || name.indexOf('.') < 0) {
            return claims.get(name);
        }
        Object current = claims;
        for (String step : name.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    /** The strings of a claim that is a JSON array of strings, or one string of space-separated values. */
    public static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> collection) {
            for (Object value : collection) {
                if (value instanceof String text) {
                    values.add(text);
                }
            }
        } else if (claim instanceof String text) {
            for (String value : text.trim().split("\\s+")) {
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        return values;
    }
}
