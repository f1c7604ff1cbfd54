package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class RoleAuthoritiesTest {

    static Jwt jwt(Consumer<Map<String, Object>> claims) {
        return Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .claim("sub", "alice")
                .claims(claims)
                .issuedAt(Instant.now())
                .build();
    }

    static List<String> authorities(String claim, Jwt jwt) {
        return new RoleAuthorities(claim)
                .convert(jwt).stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Test
    void mapsKnownRolesAndIgnoresTheRest() {
        Jwt jwt = jwt(claims -> claims.put("roles", List.of("customer", "admin", "storefront", "Operator")));

        assertThat(authorities("roles", jwt)).containsExactly("ROLE_CUSTOMER", "ROLE_STOREFRONT");
    }

    @Test
    void followsADottedPath() {
        Jwt jwt = jwt(claims -> claims.put("realm_access", Map.of("roles", List.of("operator", "offline_access"))));

        assertThat(authorities("realm_access.roles", jwt)).containsExactly("ROLE_OPERATOR");
        assertThat(authorities("realm_access.missing", jwt)).isEmpty();
        assertThat(authorities("roles", jwt)).isEmpty();
    }

    @Test
    void takesAClaimNamedWithDotsWholeFirst() {
        Jwt jwt = jwt(claims -> claims.put("https://orderflow.io/roles", "operator customer"));

        assertThat(authorities("https://orderflow.io/roles", jwt)).containsExactly("ROLE_OPERATOR", "ROLE_CUSTOMER");
    }

    @Test
    void grantsNothingForAClaimOfAnotherShape() {
        assertThat(authorities("roles", jwt(claims -> claims.put("roles", 42)))).isEmpty();
        assertThat(authorities("roles", jwt(claims -> claims.put("roles", Map.of("customer", true)))))
                .isEmpty();
        assertThat(authorities("roles", jwt(claims -> claims.put("roles", List.of(1, "customer")))))
                .containsExactly("ROLE_CUSTOMER");
    }
}
