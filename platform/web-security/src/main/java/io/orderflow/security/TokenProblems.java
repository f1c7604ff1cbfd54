package io.orderflow.security;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A request without a valid token: 401 with Spring's {@code WWW-Authenticate: Bearer ...} (RFC 6750: {@code
 * error="invalid_token"}, {@code error_description}, {@code resource_metadata}) and a problem whose detail says in
 * plain words what is wrong with the token.
 *
 * <p>One exception: when the token cannot be checked because the issuer (its discovery document or its keys) cannot
 * be reached, the answer is 503 with {@code Retry-After}. The token may be perfectly good, and a 401 would tell the
 * client to throw it away, sign the user out or hammer the issuer for new tokens; a 503 tells it the truth, that this
 * service cannot decide now and the same request will do later. Never a 500: Spring's default rethrows that failure.
 */
final class TokenProblems implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(TokenProblems.class);

    /** Seconds a client waits before trying again while the issuer cannot be reached. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final String DECODING_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final String issuer;

    TokenProblems(String issuer) {
        this.issuer = issuer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AuthenticationServiceException) {
            log.warn("Cannot check a bearer token: {}", failure.getMessage());
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            Problems.write(
                    request,
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Token cannot be checked now",
                    "the token cannot be checked now: the keys of its issuer " + issuer + " cannot be fetched;"
                            + " send the request again in a few seconds",
                    Map.of());
            return;
        }
        bearer.commence(request, response, failure);
        // 401, or 400 for a request that is wrong as a whole (invalid_request: two tokens, say).
        HttpStatus status = HttpStatus.valueOf(response.getStatus());
        Problems.write(
                request,
                response,
                status,
                status == HttpStatus.UNAUTHORIZED ? "Not authenticated" : "Invalid bearer token request",
                detail(request, failure),
                Map.of());
    }

    private String detail(HttpServletRequest request, AuthenticationException failure) {
        if (!(failure instanceof OAuth2AuthenticationException invalid)) {
            return "a bearer token is required: send the access token in the Authorization header,"
                    + " as \"Authorization: Bearer <token>\"";
        }
        if (signedByAnotherIssuer(request)) {
            return "the token is from an unknown issuer: this API accepts tokens issued by " + issuer;
        }
        JwtValidationException validation = causeOf(failure, JwtValidationException.class);
        if (validation != null) {
            return validationDetail(validation);
        }
        if (causeOf(failure, BadJWSException.class) != null) {
            return "the token's signature is not valid: the token was changed after it was signed, or was not"
                    + " signed by its issuer";
        }
        if (causeOf(failure, BadJOSEException.class) != null) {
            return "the token's signature is not valid: it is not signed with an algorithm and key that the issuer "
                    + issuer + " publishes";
        }
        BadJwtException bad = causeOf(failure, BadJwtException.class);
        if (bad != null) {
            String message = String.valueOf(bad.getMessage());
            if (message.startsWith("Unsupported algorithm of none")) {
                return "the token is not signed (alg \"none\"): only signed tokens are accepted";
            }
            if (message.contains("Malformed")) {
                return "the token is not a well-formed JWT: three base64url parts, header.payload.signature";
            }
            return "the token is not valid: " + stripPrefix(message);
        }
        OAuth2Error error = invalid.getError();
        String description = String.valueOf(error.getDescription());
        if (description.startsWith("Bearer token is malformed")) {
            return "the Authorization header does not hold a well-formed bearer token: \"Bearer \" and then the"
                    + " token, in the characters RFC 6750 allows";
        }
        if (description.startsWith("Found multiple bearer tokens")) {
            return "the request carries more than one bearer token: send exactly one, in the Authorization header";
        }
        return error.getDescription() == null ? "the bearer token is not valid" : error.getDescription();
    }

    /**
     * What the validators found, in words: Spring's own ({@code exp}, {@code nbf}, {@code iss}, {@code typ}) are
     * reworded; this module's ({@link AudienceValidator}, {@link CallerClaimValidator}) are written for people.
     */
    private String validationDetail(JwtValidationException validation) {
        for (OAuth2Error error : validation.getErrors()) {
            String description = error.getDescription();
            if (description == null) {
                continue;
            }
            if (description.startsWith("Jwt expired at ")) {
                return "the token has expired (at " + description.substring("Jwt expired at ".length())
                        + "): get a new one from the issuer";
            }
            if (description.startsWith("Jwt used before ")) {
                return "the token is not valid yet (not before "
                        + description.substring("Jwt used before ".length())
                        + "): check the clocks of the issuer and of the client";
            }
            if (description.equals("exp is required")) {
                return "the token has no expiry (exp): tokens that never expire are not accepted";
            }
            if (description.startsWith("The iss claim is not valid")) {
                return "the token is from an unknown issuer: this API accepts tokens issued by " + issuer;
            }
            if (description.startsWith("the given typ value")) {
                return "the token's type (its typ header) is not one of an access token: JWT or at+jwt";
            }
            return description;
        }
        return "the token is not valid: " + stripPrefix(validation.getMessage());
    }

    /**
     * Whether the token names another issuer than this API's. Read from the token unverified, for the wording only:
     * a token from another issuer usually fails on its signature first (another key), and "unknown issuer" is the
     * more useful thing to say. Nothing is decided on it: the token is refused already.
     */
    private boolean signedByAnotherIssuer(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (issuer == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        try {
            String tokenIssuer = JWTParser.parse(authorization.substring(7).trim())
                    .getJWTClaimsSet()
                    .getIssuer();
            return tokenIssuer != null && !tokenIssuer.equals(issuer);
        } catch (Exception unreadable) {
            return false;
        }
    }

    private static String stripPrefix(String message) {
        return message != null && message.startsWith(DECODING_PREFIX)
                ? message.substring(DECODING_PREFIX.length())
                : String.valueOf(message);
    }

    static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
