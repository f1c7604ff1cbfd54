package io.orderflow.security;

import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The token was issued for this API: its {@code aud} holds {@code orderflow.security.audience}. Without this check a
 * token the same issuer made for another system would be taken here too. The description has no double quote, which
 * RFC 6750 does not allow in {@code error_description}: Spring would put a bare "Invalid token" in its place.
 */
final class AudienceValidator implements OAuth2TokenValidator<Jwt> {

    private final String audience;
    private final OAuth2Error error;

    AudienceValidator(String audience) {
        this.audience = audience;
        this.error = new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN,
                "the token was not issued for this API: its audience (aud) does not include " + audience,
                "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3");
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        List<String> audiences = token.getAudience();
        return audiences != null && audiences.contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(error);
    }
}
