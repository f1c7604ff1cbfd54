package io.orderflow.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The token's roles as authorities ({@code customer} -> {@code ROLE_CUSTOMER}), from the claim or dotted path
 * {@code orderflow.security.roles-claim} names. Role names this system does not know grant nothing: an issuer shared
 * with other systems carries their roles too.
 */
final class RoleAuthorities implements Converter<Jwt, Collection<GrantedAuthority>> {

    private final String claim;

    RoleAuthorities(String claim) {
        this.claim = claim;
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        for (String value : TokenClaims.strings(TokenClaims.find(jwt, claim))) {
            Role.fromClaimValue(value).ifPresent(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        }
        return authorities;
    }
}
