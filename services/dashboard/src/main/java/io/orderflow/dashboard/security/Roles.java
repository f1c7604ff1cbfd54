package io.orderflow.dashboard.security;

import io.orderflow.security.TokenClaims;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * The issuer's roles claim ({@code orderflow.security.roles-claim}, as the services read it: {@code roles} by
 * default, a dotted path such as Keycloak's {@code realm_access.roles}) as Spring Security authorities, {@code
 * operator} as {@code ROLE_OPERATOR}: from the ID token of an operator who signed in, and from the access token of a
 * script that sends one. The dashboard lets in {@value #OPERATOR} only.
 */
final class Roles {

    static final String OPERATOR = "OPERATOR";
    private static final String PREFIX = "ROLE_";

    private Roles() {}

    /** The claim's roles as authorities; none for a claim that is missing or holds no strings. */
    static Set<GrantedAuthority> authorities(Map<String, Object> claims, String claim) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        for (String name : TokenClaims.strings(TokenClaims.find(claims, claim))) {
            if (!name.isBlank()) {
                authorities.add(new SimpleGrantedAuthority(PREFIX + name.toUpperCase(Locale.ROOT)));
            }
        }
        return authorities;
    }

    /** For the login: what Spring makes of the ID token, with the roles it carries added. */
    static GrantedAuthoritiesMapper fromIdToken(String claim) {
        return granted -> {
            Set<GrantedAuthority> mapped = new LinkedHashSet<>(granted);
            for (GrantedAuthority authority : granted) {
                if (authority instanceof OidcUserAuthority user) {
                    mapped.addAll(authorities(user.getIdToken().getClaims(), claim));
                }
            }
            return mapped;
        };
    }

    /** For a bearer token: its subject as the name, its roles as the only authorities. */
    static JwtAuthenticationConverter fromAccessToken(String claim) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter((Jwt jwt) -> List.copyOf(authorities(jwt.getClaims(), claim)));
        return converter;
    }

    /** The roles of whoever is signed in, as the claim names them ({@code customer}), for messages. */
    static List<String> of(Authentication who) {
        if (who == null) {
            return List.of();
        }
        return who.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith(PREFIX))
                .map(authority -> authority.substring(PREFIX.length()).toLowerCase(Locale.ROOT))
                .toList();
    }
}
