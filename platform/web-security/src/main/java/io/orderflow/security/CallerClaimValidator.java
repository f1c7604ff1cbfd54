package io.orderflow.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The token names its caller: the top-level claim {@code orderflow.security.customer-claim} names is a non-blank
 * string. A token without one is refused as invalid, not let in as a caller nobody can tell apart.
 */
final class CallerClaimValidator implements OAuth2TokenValidator<Jwt> {

    private final String claim;
    private final OAuth2Error error;

    CallerClaimValidator(String claim) {
        this.claim = claim;
        this.error = new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN,
                "the token does not say who the caller is: it has no " + claim + " claim with a text value",
                null);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return token.getClaims().get(claim) instanceof String value && !value.isBlank()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(error);
    }
}
