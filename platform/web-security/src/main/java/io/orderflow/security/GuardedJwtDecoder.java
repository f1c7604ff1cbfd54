package io.orderflow.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import java.text.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Spring's decoder, with what a client sends kept apart from what the service cannot do:
 *
 * <ul>
 *   <li>what is not a signed JWT is refused before the issuer is asked anything, so that garbage is a 401 even while
 *       the issuer is down;
 *   <li>an issuer whose discovery document cannot be read is reported as a {@link JwtException}, which Spring turns
 *       into an {@code AuthenticationServiceException} (503 here), where Spring's lazy decoder throws an exception
 *       no filter handles (a 500 with a stack trace);
 *   <li>any other failure on a token is that token's fault: 401, logged with its stack for the operators.
 * </ul>
 */
public final class GuardedJwtDecoder implements JwtDecoder {

    private static final Logger log = LoggerFactory.getLogger(GuardedJwtDecoder.class);

    private final JwtDecoder delegate;

    public GuardedJwtDecoder(JwtDecoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public Jwt decode(String token) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new BadJwtException("An error occurred while attempting to decode the Jwt: Malformed token", e);
        }
        if (parsed instanceof PlainJWT) {
            throw new BadJwtException("Unsupported algorithm of none");
        }
        try {
            return delegate.decode(token);
        } catch (JwtException e) {
            throw e;
        } catch (JwtDecoderInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new JwtException("the issuer's discovery document cannot be read: " + cause.getMessage(), e);
        } catch (RuntimeException e) {
            log.warn("A bearer token failed in an unexpected way; it is refused as invalid", e);
            throw new BadJwtException("An error occurred while attempting to decode the Jwt: " + e.getMessage(), e);
        }
    }
}
